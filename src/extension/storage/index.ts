/**
 * Public surface of the storage room: open the history, its types and errors.
 * Everything else in this folder is an implementation detail. No `vscode` import.
 */
export { HISTORY_FILE_NAME, HistoryStore, openHistoryStore, type EngineStats, type ImportOptions, type OpenHistoryOptions } from './historyStore';
export { importPercent, type ImportProgress } from './importControl';
export { StorageError, isStorageError, type StorageErrorKind } from './errors';
export type { ExportScope } from './exporter';
export type { LockOptions } from './fileLock';
export type { SqlJsLocation } from './sqlJsLoader';
export { EXPORT_FORMAT, EXPORT_VERSION } from './exportFormat';
export { SCHEMA_VERSION } from './migrations';
export * from './types';
export { usageCsv, type UsageReport, type UsageRow } from './usage';
