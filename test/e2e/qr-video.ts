// A fake camera feed showing one QR code: a Y4M file (what Chromium's --use-file-for-fake-video-capture
// plays in a loop), drawn from the QR matrix zxing-wasm's writer makes. Lets the e2e test scan with the
// camera for real, decoder included.
import { readFileSync, writeFileSync } from 'node:fs';
import { prepareZXingModule, writeBarcode } from 'zxing-wasm/writer';

const W = 640;
const H = 480;

export async function writeQrVideo(text: string, path: string): Promise<void> {
  const wasm = readFileSync('node_modules/zxing-wasm/dist/writer/zxing_writer.wasm');
  await prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer }, fireImmediately: true });
  const { symbol, error } = await writeBarcode(text, { format: 'QRCode' });
  if (error || !symbol) throw new Error(`could not draw a QR code: ${error}`);
  // Modules scaled up and centred on white, leaving a wide quiet zone.
  const scale = Math.floor((Math.min(W, H) * 0.6) / symbol.width);
  const left = Math.floor((W - symbol.width * scale) / 2);
  const top = Math.floor((H - symbol.height * scale) / 2);
  const y = Buffer.alloc(W * H, 235);
  for (let row = 0; row < symbol.height; row++) {
    for (let col = 0; col < symbol.width; col++) {
      if (symbol.data[row * symbol.width + col]! >= 128) continue; // light module
      for (let dy = 0; dy < scale; dy++) y.fill(16, (top + row * scale + dy) * W + left + col * scale, (top + row * scale + dy) * W + left + (col + 1) * scale);
    }
  }
  const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma]);
  writeFileSync(path, Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`), frame, frame]));
}
