// The part of @apigrate/autotask-restapi 2.x (a CommonJS package without types) that the
// independent-client test uses, as its README and index.js describe it.
declare module '@apigrate/autotask-restapi' {
  type Json = Record<string, unknown>;
  interface EntityApi {
    query(
      search: Json,
    ): Promise<{ items: Json[]; pageDetails: { count: number; nextPageUrl: string | null } }>;
    count(search: Json): Promise<{ queryCount: number }>;
    /** `{ item }`, or null when Autotask answered 404 */
    get(id: number): Promise<{ item: Json | null } | null>;
    info(): Promise<{ info: Json }>;
    fieldInfo(): Promise<{ fields: Json[] }>;
  }
  /** a child entity: writes go through the parent (`/Contracts/{id}/Services`) */
  interface ChildApi extends EntityApi {
    create(parentId: number, body: Json): Promise<{ itemId: number | null }>;
    update(parentId: number, body: Json): Promise<{ itemId: number | null }>;
  }
  export class AutotaskRestApi {
    constructor(
      user: string,
      secret: string,
      code: string,
      options?: { base_url?: string; version?: string },
    );
    Companies: EntityApi;
    Contracts: EntityApi;
    ContractServices: ChildApi;
    ContractServiceAdjustments: ChildApi;
    ContractServiceUnits: EntityApi;
  }
  const apigrate: { AutotaskRestApi: typeof AutotaskRestApi };
  export default apigrate;
}
