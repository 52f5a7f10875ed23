// Histories are stored as readable JSON (enum names, 64-bit numbers as strings, payload bytes as base64),
// through the same protobuf classes the SDK uses.
import { temporal } from '@temporalio/proto';

type History = temporal.api.history.v1.IHistory;
const HistoryType = temporal.api.history.v1.History;

export function historyToPlainObject(history: History): Record<string, unknown> {
  return HistoryType.toObject(HistoryType.fromObject(history), { longs: String, enums: String, bytes: String });
}

export function historyFromPlainObject(json: unknown): temporal.api.history.v1.History {
  return HistoryType.fromObject(json as Record<string, unknown>);
}
