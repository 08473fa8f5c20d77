// The office's screens, one chunk (app.tsx loads it on the first office page).
export { CaseDetailPage } from './case-detail.page';
export { CaseListPage } from './case-list.page';
export { ReceiptPage } from './receipt.page';
export { SubmissionWizard } from './submission-wizard';
