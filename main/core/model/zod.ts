/**
 * zod for the whole app: `zod/mini` with English issue messages. Every schema imports `z` from here.
 *
 * Why mini: every CLI start evaluates the zod code the schemas use. The classic API hangs its
 * methods (`.max()`, `.optional()`, …) on every schema class, so a bundle cannot drop the ones we
 * never call and evaluating it cost `patchbay exec` about 40 ms; `zod/mini` is the same core and
 * parser behind a functional API that a bundler trims to what is used
 * (https://zod.dev/packages/mini). eslint.config.js refuses classic imports for that reason.
 *
 * Why the locale: classic zod installs English messages on first use, mini installs none, so
 * every default message would read "Invalid input". Bridge-argument and support-bundle errors
 * quote zod's default messages ("expected string, received number"), so English is configured
 * here, once, before any schema in the app can parse.
 *
 * No memoizer is configured (classic installs one): it only serves recursive schemas (z.lazy
 * cycles), and Patchbay has none.
 */
import * as z from 'zod/mini';

z.config(z.locales.en());

export { z };
