// `npm run build`: src/ into dist/, the files the demo's server serves. The app and its
// dependencies are bundled into one script; the page and the phone input's country
// flags are copied beside it.
import * as esbuild from "esbuild";

const flags = "node_modules/intl-tel-input/build/img";

await esbuild.build({
  entryPoints: ["src/main.jsx", "src/index.html", `${flags}/flags.png`, `${flags}/flags@2x.png`],
  entryNames: "[name]",
  outdir: "dist",
  bundle: true,
  minify: true,
  jsx: "automatic",
  loader: { ".html": "copy", ".png": "copy" },
  define: { "process.env.NODE_ENV": '"production"' },
  target: "es2020",
  logLevel: "warning",
});
