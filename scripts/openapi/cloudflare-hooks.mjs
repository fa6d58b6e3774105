// Module hooks: resolve `cloudflare:*` to ./cloudflare-stub.mjs (see there).
export async function resolve(specifier, context, next) {
  if (specifier.startsWith('cloudflare:')) return { url: new URL('./cloudflare-stub.mjs', import.meta.url).href, shortCircuit: true };
  return next(specifier, context);
}
