// build.mjs is ES module code run by node, so its helpers are exercised in a node child process.
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const root = join(__dirname, "../..");

function run(expression: string): unknown {
  const script = `import * as b from "./build.mjs"; console.log(JSON.stringify(${expression}));`;
  // stderr piped, not inherited: a child's expected failure is in the thrown error, not on the console.
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }));
}

describe("build.mjs: the step that exposes globals with their formula help", () => {
  test("reads parameter names from TypeScript signatures, generics and optionals included", () => {
    expect(run(`b.parameterNames("model: Arg, quality?: Map<string, number>, ...rest: unknown[]")`)).toEqual(["model", "quality", "rest"]);
    expect(run(`b.parameterNames("")`)).toEqual([]);
  });

  test("finds every exported function of src/gas with the JSDoc above it", () => {
    const decls = run(`Object.fromEntries([...b.readDeclarations()].map(([k, v]) => [k, { params: v.params, custom: !!v.jsdoc && v.jsdoc.includes("@customfunction") }]))`) as Record<string, { params: string[]; custom: boolean }>;
    expect(decls.KLING_COST).toEqual({ params: ["model", "quality", "seconds", "audio", "input", "price"], custom: true });
    expect(decls.KLING_PACKAGES).toEqual({ params: [], custom: true });
  });

  test("refuses formula help that would mislead: a missing, unnamed-type or undescribed @param, or no @return", () => {
    const check = (jsdoc: string, params: string[]) =>
      run(`b.checkCustomFunction({ name: "KLING_X", jsdoc: ${JSON.stringify(jsdoc)}, params: ${JSON.stringify(params)} })`);
    const good = "/**\n * X.\n * @param {number} a The a.\n * @return {number} X.\n * @customfunction\n */";
    expect(check(good, ["a"])).toEqual([]);
    expect(check(good, ["a", "b"])).toEqual(["@param names (a) differ from the signature (a, b)"]);
    expect(check("/**\n * @param a The a.\n * @return X\n */", ["a"])).toEqual(["@param a has no {type}"]);
    expect(check("/**\n * @param {number} a\n * @return X\n */", ["a"])).toEqual(["@param a has no description"]);
    expect(check("/**\n * @param {number} a The a.\n */", ["a"])).toEqual(["no @return"]);
  });

  test("a wrapper forwards every argument to the library", () => {
    const text = run(`b.wrapper({ name: "KLING_X", jsdoc: "/** doc */", params: ["a", "b"] })`);
    expect(text).toBe("/** doc */\nfunction KLING_X(a, b) {\n  return KlingBudget_.KLING_X(a, b);\n}\n");
  });

  test("wraps esbuild's module output into one private global holding exactly the exports", () => {
    const script = run(`b.wrapModule("function a(){return 1}var c=2;export{a as KLING_X,c};\\n")`) as string;
    expect(script).toBe("var KlingBudget_=(function(){function a(){return 1}var c=2;return{KLING_X:a,c:c}})();\n");
    expect(() => run(`b.wrapModule("var a=1;")`)).toThrow(/does not end in one export clause/);
  });
});
