import { register } from 'node:module';

register('./cloudflare-hooks.mjs', import.meta.url);
