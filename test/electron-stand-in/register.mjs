/**
 * `node --import tsx --import ./register.mjs <script>`: resolve the bare specifier `electron`
 * (and `electron/main`) to the stand-in, for every importer — the built bundle and the libraries
 * it loads (electron-store). Uses Node's documented module customization hooks (module.register).
 */
import { register } from 'node:module';

register(new URL('./resolve-hooks.mjs', import.meta.url), {
  data: { target: new URL('./module.ts', import.meta.url).href },
});
