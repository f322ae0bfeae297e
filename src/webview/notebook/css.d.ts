// Webview layer: stylesheets imported as text (esbuild's `text` loader, scripts/build.mjs), for the renderer's shadow roots.
declare module '*.css' {
  const text: string;
  export default text;
}
