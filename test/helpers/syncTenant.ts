// The sandbox tenant of the sync and job tests: one company with a monthly and a yearly contract, the
// fixture services (syncFixtures TARGETS point at them).
export const SYNC_TENANT = {
  companies: [{ id: 1, companyName: 'Acme Corporation, Inc.' }],
  contracts: [
    {
      id: 100,
      companyID: 1,
      contractName: 'Acme monthly',
      contractType: 7,
      contractPeriodType: 2,
      status: 1,
      startDate: '2026-01-01',
      endDate: '2026-12-31',
    },
    {
      id: 200,
      companyID: 1,
      contractName: 'Acme yearly',
      contractType: 7,
      contractPeriodType: 5,
      status: 1,
      startDate: '2026-01-01',
      endDate: '2026-12-31',
    },
  ],
  services: [
    { id: 11, name: 'Microsoft 365 Business Premium', unitPrice: '22.00', periodType: 2 },
    { id: 12, name: 'Microsoft 365 Business Premium (annual)', unitPrice: '250.80', periodType: 5 },
  ],
};
