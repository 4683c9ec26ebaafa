// Fresh, branded record ids (random UUIDs: unique across tabs and devices without coordination).
import type { CheckpointId, DatasetId, ExportId, ProjectId, RunId, VersionId } from './types.js';

const uuid = (): string => globalThis.crypto.randomUUID();

/** A new project id. */
export const newProjectId = (): ProjectId => uuid() as ProjectId;
/** A new architecture version id. */
export const newVersionId = (): VersionId => uuid() as VersionId;
/** A new dataset id (its content hash is its version, not its id). */
export const newDatasetId = (): DatasetId => uuid() as DatasetId;
/** A new training run id. */
export const newRunId = (): RunId => uuid() as RunId;
/** A new checkpoint id. */
export const newCheckpointId = (): CheckpointId => uuid() as CheckpointId;
/** A new export-history id. */
export const newExportId = (): ExportId => uuid() as ExportId;
