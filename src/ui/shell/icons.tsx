// The app's icons as inline SVG strokes: they draw the same on every device, whatever fonts it has (a glyph
// such as U+2398 (the old Bills icon) is an empty box in fonts without it, e.g. Debian's Chromium with DejaVu only). Each is a few
// path commands on a 24 × 24 grid, so the set costs well under a kilobyte of the scanner page's budget.
const PATHS = {
  brand: 'M4 4h16v16H4z M8 12l3 3 5-6',
  scan: 'M3 8V4h4 M17 4h4v4 M21 16v4h-4 M7 20H3v-4 M7 8v8 M10 8v8 M14 8v8 M17 8v8',
  lookup: 'M10.5 4a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13z M15.5 15.5L21 21',
  history: 'M12 4a8 8 0 1 0 0 16a8 8 0 1 0 0-16z M12 8v4l3 2',
  me: 'M12 4a4 4 0 1 0 0 8a4 4 0 1 0 0-8z M4 21c0-4 3.6-6 8-6s8 2 8 6',
  board: 'M4 4h7v7H4z M13 4h7v7h-7z M4 13h7v7H4z M13 13h7v7h-7z',
  bills: 'M6 3h9l4 4v14H6z M14 3v5h5 M9 12h7 M9 16h7',
  billScan: 'M6 3h9l4 4v14H6z M14 3v5h5 M12.5 10v7 M9.5 14l3 3 3-3',
  reports: 'M4 20h16 M7 17v-6 M12 17V6 M17 17v-9',
  dashboard: 'M4 17a8 8 0 1 1 16 0 M12 17l4-5 M3 20h18',
  admin: 'M12 3l8 3v6c0 5-3.5 8-8 9c-4.5-1-8-4-8-9V6z M9 12l2 2 4-4',
  bags: 'M5 8h14l-1 12H6z M9 8V6a3 3 0 0 1 6 0v2',
  signOut: 'M10 4H5v16h5 M14 8l4 4-4 4 M18 12H9',
  wall: 'M3 5h18v12H3z M8 21h8 M12 17v4',
  returns: 'M9 7L4 12l5 5 M4 12h11a5 5 0 0 1 0 10h-2',
  import: 'M12 16V4 M7 9l5-5 5 5 M4 20h16',
  // A pulse line: the System screen (live health).
  system: 'M3 12h4l2-6 4 12 2-6h6',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 24, class: cls }: { name: IconName; size?: number; class?: string }) {
  return (
    <svg
      class={cls ? `icon ${cls}` : 'icon'}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
