/**
 * A real dynamic import(). TypeScript compiles `import()` to `require()` under CommonJS, and
 * ESM-only packages (jose) cannot be required under Jest; a Function body keeps the native
 * import(), which Node 20 and Jest (--experimental-vm-modules) both resolve.
 */
const nativeImport = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<unknown>;

let jose: Promise<typeof import('jose')> | undefined;

/** The jose library (ESM-only), loaded once. */
export function loadJose(): Promise<typeof import('jose')> {
  jose ??= nativeImport('jose') as Promise<typeof import('jose')>;
  return jose;
}
