// Shapes of the API contract shared by the Worker, the Durable Objects and the UI. The HTTP shapes are zod
// schemas in ./api (the one source of the contract and the OpenAPI document); this module keeps the names
// the objects and the protocol have always imported.
export { ROLES } from './api';
export type {
  AreaStats,
  BillParentView,
  BillStatus,
  BillView,
  ChildView,
  ParentStatus,
  ParentView,
  Role,
  ScanResult,
  SessionSummary,
  SessionUser,
  Stats,
  WeightSource,
} from './api';
