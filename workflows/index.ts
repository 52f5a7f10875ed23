// Entry point of the workflow bundle: export every workflow type the worker registers.
export { assignmentWorkflow } from './assignment/assignment.workflow';
export { notificationDeliveryWorkflow } from './notifications/delivery.workflow';
export { dailyDigestWorkflow } from './notifications/digest.workflow';
export { mailBatchWorkflow } from './notifications/batch.workflow';
export { planActivationWorkflow } from './plan/activation.workflow';
export { planEndWorkflow } from './plan/plan-end.workflow';
export { planAmendmentWorkflow } from './plan/amendment.workflow';
