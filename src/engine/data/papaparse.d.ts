// The slice of papaparse the engine uses, declared here so the engine imports the library as
// 'papaparse/papaparse.min.js' rather than through @types/papaparse, whose `/// <reference
// types="node" />` would put Node's globals into tsconfig.engine.json's DOM-free, Node-free check.
// The minified build (the package's own "browser" entry) also leaves out the Node-stream
// adapter, whose require('stream') would break a browser bundle; string parsing is the same.
declare module 'papaparse/papaparse.min.js' {
  export interface PapaError {
    readonly type: 'Quotes' | 'Delimiter' | 'FieldMismatch';
    readonly code: string;
    readonly message: string;
    /** Index of the record in the parsed text (0-based). */
    readonly row?: number;
  }
  export interface PapaResult {
    readonly data: string[][];
    readonly errors: readonly PapaError[];
    readonly meta: { readonly delimiter: string; readonly linebreak: string };
  }
  export interface PapaConfig {
    readonly delimiter?: string;
    readonly newline?: string;
    readonly quoteChar?: string;
    readonly skipEmptyLines?: boolean;
  }
  const Papa: { parse(input: string, config?: PapaConfig): PapaResult };
  export default Papa;
}
