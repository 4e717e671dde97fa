// The fake Kling account API on 127.0.0.1, in a process of its own (a caller that waits for it
// synchronously, as UrlFetchApp does, would otherwise block its answers). npm run preview starts it;
// so do the tests that sync over real HTTP.
//
//   tsx scripts/fake-kling-api.ts [--port 0]
import { fakeKlingApi, samplePacksAndUsage, serveKlingApi } from "../test/fakes/kling-api";

export const PREVIEW_API_KEY = "preview-api-key-4f2a";
export const PREVIEW_ACCESS_KEY = "preview-access-key";
export const PREVIEW_SECRET_KEY = "preview-secret-key";

export function sampleAccount(now = Date.now()) {
  return fakeKlingApi({ apiKeys: [PREVIEW_API_KEY], accessKeys: { [PREVIEW_ACCESS_KEY]: PREVIEW_SECRET_KEY }, ...samplePacksAndUsage(now) });
}

if (require.main === module) {
  const portArg = process.argv.indexOf("--port");
  const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 0;
  void serveKlingApi(sampleAccount(), port).then(({ url }) => {
    console.log(`Fake Kling API: ${url}`);
    console.log(`  API key: ${PREVIEW_API_KEY}   or access key ${PREVIEW_ACCESS_KEY} with secret key ${PREVIEW_SECRET_KEY}`);
  });
}
