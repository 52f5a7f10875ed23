// The body of POST /api/assignments for one An Sơn duty due in 30 days with a single reminder: the smallest real
// workflow the API can start, for suites that need one running assignment.
export function anSonAssignmentBody(planId: string) {
  return {
    planId,
    planTitle: 'Kế hoạch công tác trẻ em năm 2024',
    itemKey: 'V.3.4',
    title: 'Rà soát các khu vực thường xuyên xảy ra tai nạn đuối nước',
    unitCode: 'VQ-XA-AN-SON',
    periodKey: 'once',
    deadline: new Date(Date.now() + 30 * 86400_000).toISOString(),
    escalation: [{ key: 'remind-7d', offset: '-P7D', basis: 'calendar', audience: ['assignee'], kind: 'reminder' }],
  };
}
