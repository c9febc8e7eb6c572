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
    /** jsfive's internals, read for contiguous float32 datasets (keras-weights.ts contiguousFloat32). */
    readonly _dataobjects: {
      find_msg_type(type: number): { get(field: 'offset_to_message'): number }[];
      _get_data_message_properties(offset: number): [version: number, dims: number, layoutClass: number, propertyOffset: number];
    };
  }
  export class File extends Group {
    constructor(buffer: ArrayBuffer, filename?: string);
  }
}
