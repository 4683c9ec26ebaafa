// Awaits a promise that must fail with a DatasetError, and returns it for the test to read.
import { DatasetError } from '../../src/engine/data/types.js';

export async function datasetRefusal(p: Promise<unknown>): Promise<DatasetError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DatasetError) return e;
    throw e;
  }
  throw new Error('expected a DatasetError');
}
