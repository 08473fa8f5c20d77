// The reviewer's screens, one chunk (app.tsx loads it on the first reviewer page).
export { QueuePage } from './queue.page';
export { WorkItemPage } from './work-item.page';
