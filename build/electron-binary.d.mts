/** Types of electron-binary.mjs (plain JS so `npm start` needs no TypeScript loader). */
export declare const REPO_ROOT: string;
/** The one sentence shown when there is no Electron binary. */
export declare const NO_ELECTRON_MESSAGE: string;
/** The Electron executable, or null when this machine has none. */
export declare function electronBinaryPath(env?: NodeJS.ProcessEnv, root?: string): string | null;
