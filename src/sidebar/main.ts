// The sidebar's entry: build.mjs bundles this into dist/Sidebar.html.
import { startSidebar } from "./app";
import { run } from "./server";

startSidebar(document.getElementById("app")!, run);
