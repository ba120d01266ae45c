import packageJson from '../../package.json';

/** This package's version, for `--version`. */
export const VERSION: string = packageJson.version;
