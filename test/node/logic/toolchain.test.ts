// The toolchain facts the rest relies on, checked where they are cheap to check.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const installed = (name: string) => (JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')) as { version: string; dependencies?: Record<string, string> });

describe('toolchain', () => {
  it("npm scripts run on the project's own Node (the `node` devDependency), whatever Node the machine has", () => {
    expect(process.version).toBe(`v${pkg.devDependencies.node}`);
  });

  it('zxing-wasm is the version barcode-detector loads, so the .wasm we serve matches its JavaScript', () => {
    // barcode-detector pins zxing-wasm exactly; a second copy would make the camera decoder fail silently.
    expect(installed('barcode-detector').dependencies?.['zxing-wasm']).toBe(pkg.dependencies['zxing-wasm']);
  });
});
