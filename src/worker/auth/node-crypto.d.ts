// The part of node:crypto the Worker uses (workerd implements it with nodejs_compat). The Worker's tsconfig
// has no @types/node, whose globals would clash with the Workers types.
declare module 'node:crypto' {
  type KeyCallback = (err: Error | null, derivedKey: Uint8Array) => void;
  export function scrypt(
    password: string,
    salt: string,
    keylen: number,
    options: { N: number; r: number; p: number; maxmem: number },
    callback: KeyCallback,
  ): void;
  export function pbkdf2(password: string, salt: string, iterations: number, keylen: number, digest: string, callback: KeyCallback): void;
}
