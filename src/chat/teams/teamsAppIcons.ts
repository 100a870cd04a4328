// The Teams app icons, drawn in code: a 192×192 colour icon (white upload arrow on the accent
// colour) and a 32×32 outline icon (the same arrow in white on transparent, as Teams requires).
import { encodePng } from './pngEncoder.js';

export const ACCENT = [0x0f, 0x6c, 0xbd] as const;

/** Is the point (x, y in 0…1) on the arrow: a head above a shaft, over a base line (a tray). */
function onArrow(x: number, y: number): boolean {
  const head = y >= 0.18 && y <= 0.48 && Math.abs(x - 0.5) <= (y - 0.18) * 0.9;
  const shaft = y > 0.46 && y <= 0.7 && Math.abs(x - 0.5) <= 0.09;
  const tray = y >= 0.76 && y <= 0.84 && x >= 0.22 && x <= 0.78;
  return head || shaft || tray;
}

function draw(size: number, pixel: (on: boolean) => [number, number, number, number]): Buffer {
  const rgba = new Uint8Array(size * size * 4);
  // 4×4 samples a pixel keep the edges smooth at 32×32
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      let hits = 0;
      for (let sy = 0; sy < 4; sy++)
        for (let sx = 0; sx < 4; sx++)
          if (onArrow((x + (sx + 0.5) / 4) / size, (y + (sy + 0.5) / 4) / size)) hits++;
      const [r, g, b, a] = pixel(hits >= 8);
      rgba.set([r, g, b, a], (y * size + x) * 4);
    }
  return encodePng(size, size, rgba);
}

export const colorIcon = (): Buffer => draw(192, (on) => (on ? [255, 255, 255, 255] : [...ACCENT, 255]));
export const outlineIcon = (): Buffer => draw(32, (on) => (on ? [255, 255, 255, 255] : [0, 0, 0, 0]));
