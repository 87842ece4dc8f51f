// Builds the admin page into web/dist/ (git-ignored), which the stack serves first:
//   app.js (+ chunks/ loaded lazily), app.css, index.html, source maps.
//
//   node web/build.mjs           build once (what `make test` and `make dev` run)
//   node web/build.mjs --watch   build, then rebuild on every change (`make dev`)
//
// Only what this build writes is replaced: other files in web/dist/ (a config.json
// put there by hand) are left alone, and old chunks are removed after each build.
import * as esbuild from "esbuild";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { watch as watchFiles } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const WEB = path.dirname(fileURLToPath(import.meta.url));
const SRC = path.join(WEB, "src");
const DIST = path.join(WEB, "dist");
const INDEX = path.join(WEB, "index.html");
const WATCH = process.argv.includes("--watch");
const QUIET = process.argv.includes("--quiet");

const common = {
  bundle: true,
  minify: true,
  sourcemap: "linked",
  target: "es2020",
  logLevel: "warning",
  legalComments: "linked",
  metafile: true,
  define: { "process.env.NODE_ENV": '"production"' },
};

// Firestore 12 bundles re2js (a regular-expression engine, ~40 KB gzipped) for the regex
// functions of its Pipeline queries, reachable from the main entry. The page never uses
// pipelines or regex queries, so a stub stands in: calling it would throw plainly.
const withoutRe2js = {
  name: "hearth-no-re2js",
  setup(build) {
    build.onResolve({ filter: /^re2js$/ }, () => ({ path: "re2js", namespace: "hearth-stub" }));
    build.onLoad({ filter: /.*/, namespace: "hearth-stub" }, () => ({
      contents:
        "export const RE2JS = { compile() { throw new Error('Regular-expression queries are not in this build of Hearth.'); } };",
      loader: "js",
    }));
  },
};

const jsOptions = {
  ...common,
  entryPoints: { app: path.join(SRC, "main.js") },
  outdir: DIST,
  format: "esm",
  splitting: true,
  platform: "browser",
  chunkNames: "chunks/[name]-[hash]",
  // Firebase and lit-html ship their production builds under these conditions.
  conditions: ["production", "browser"],
  plugins: [withoutRe2js],
};

const cssOptions = {
  ...common,
  entryPoints: { app: path.join(SRC, "styles.css") },
  outdir: DIST,
};

function log(message) {
  if (!QUIET) console.log(message);
}

/** Files of the first screen: the entry and every chunk it imports statically. */
function firstScreen(metafile) {
  const outputs = metafile.outputs;
  // The page's own entry, app.js: the lazily loaded screens (and uPlot) are entry points
  // in the metafile too, and its order of outputs is not the order of the entries.
  const entry = Object.keys(outputs).find((file) => path.resolve(file) === path.join(DIST, "app.js"));
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of outputs[file]?.imports || []) {
      if (imported.kind === "import-statement") visit(imported.path);
    }
  };
  if (entry) visit(entry);
  return { entry, files: [...seen] };
}

function urlOf(file) {
  return "/" + path.relative(DIST, path.resolve(file)).split(path.sep).join("/");
}

async function writeIndex(jsMeta) {
  const { entry, files } = firstScreen(jsMeta);
  const preloads = files
    .filter((file) => file !== entry)
    .map((file) => `<link rel="modulepreload" href="${urlOf(file)}">`)
    .join("\n  ");
  const source = await readFile(INDEX, "utf8");
  const page = source.replace("<!-- build: modulepreload -->", preloads);
  await writeFile(path.join(DIST, "index.html"), page);
}

/** Removes chunks/ files the latest build did not write (old hashes). */
async function pruneChunks(jsMeta) {
  const keep = new Set(Object.keys(jsMeta.outputs).map((file) => path.resolve(file)));
  const dir = path.join(DIST, "chunks");
  let names = [];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  await Promise.all(
    names
      .map((name) => path.join(dir, name))
      .filter((file) => !keep.has(path.resolve(file)))
      .map((file) => rm(file, { force: true })),
  );
}

async function report(jsMeta) {
  const { files } = firstScreen(jsMeta);
  let raw = 0;
  let gzipped = 0;
  for (const file of files) {
    const bytes = await readFile(file);
    raw += bytes.length;
    gzipped += gzipSync(bytes, { level: 9 }).length;
  }
  const css = await stat(path.join(DIST, "app.css")).then((s) => s.size, () => 0);
  log(
    `web/dist: first screen ${files.length} JS file(s), ${(raw / 1024).toFixed(1)} KB ` +
      `(${(gzipped / 1024).toFixed(1)} KB gzipped); app.css ${(css / 1024).toFixed(1)} KB`,
  );
}

async function finish(jsResult) {
  if (!jsResult.metafile) return;
  await writeIndex(jsResult.metafile);
  await pruneChunks(jsResult.metafile);
  await report(jsResult.metafile);
}

async function buildOnce() {
  await mkdir(DIST, { recursive: true });
  const [js] = await Promise.all([esbuild.build(jsOptions), esbuild.build(cssOptions)]);
  await finish(js);
}

async function buildAndWatch() {
  await mkdir(DIST, { recursive: true });
  let lastJs = null;
  const onEnd = (label, after) => ({
    name: `hearth-${label}`,
    setup(build) {
      let started = 0;
      build.onStart(() => {
        started = Date.now();
      });
      build.onEnd(async (result) => {
        if (result.errors.length) {
          log(`web/dist: ${label} build failed (${result.errors.length} error(s)); waiting for a fix…`);
          return;
        }
        try {
          await after(result);
        } catch (err) {
          console.error(err);
        }
        log(`web/dist: ${label} rebuilt in ${Date.now() - started} ms`);
      });
    },
  });
  const js = await esbuild.context({
    ...jsOptions,
    plugins: [
      withoutRe2js,
      onEnd("js", async (result) => {
        lastJs = result;
        await finish(result);
      }),
    ],
  });
  const css = await esbuild.context({ ...cssOptions, plugins: [onEnd("css", async () => {})] });
  await Promise.all([js.watch(), css.watch()]);

  // index.html is not part of the bundle graph: copy it again when it changes.
  let timer = 0;
  watchFiles(INDEX, () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (lastJs?.metafile) await writeIndex(lastJs.metafile).catch((err) => console.error(err));
      log("web/dist: index.html copied");
    }, 50);
  });

  log("web/dist: watching web/src and web/index.html (Ctrl-C stops)");
  const stop = async () => {
    await Promise.allSettled([js.dispose(), css.dispose()]);
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

try {
  if (WATCH) await buildAndWatch();
  else await buildOnce();
} catch (err) {
  // esbuild has already printed the errors with their locations.
  if (!err?.errors) console.error(err);
  process.exit(1);
}

