/** The part of jsfive (pure-JS HDF5 reader, ships no types) that the Keras weights reader uses. */
declare module 'jsfive' {
  export class Group {
    readonly keys: string[];
    get(path: string): Group | Dataset | undefined;
  }
  export class Dataset {
    readonly shape: number[];
    readonly dtype: string;
    readonly value: ArrayLike<number>;
  }
  export class File extends Group {
    constructor(buffer: ArrayBuffer, filename?: string);
  }
}
