import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes, registered by the launcher so operators can filter in the Temporal UI. */
export const SEARCH_ATTRIBUTES = {
  DondocPlanId: 'Keyword',
  DondocUnitCode: 'Keyword',
  DondocStatus: 'Keyword',
  DondocTimeliness: 'Keyword',
  DondocDeadline: 'Datetime',
} as const;

export const SA = {
  planId: defineSearchAttributeKey('DondocPlanId', SearchAttributeType.KEYWORD),
  unitCode: defineSearchAttributeKey('DondocUnitCode', SearchAttributeType.KEYWORD),
  status: defineSearchAttributeKey('DondocStatus', SearchAttributeType.KEYWORD),
  timeliness: defineSearchAttributeKey('DondocTimeliness', SearchAttributeType.KEYWORD),
  deadline: defineSearchAttributeKey('DondocDeadline', SearchAttributeType.DATETIME),
};
