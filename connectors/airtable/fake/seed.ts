// The base every fresh Airtable fake starts with; demo mode shows it. Pure data.

/** Id of the seeded "Demo CRM" base. */
export const DEMO_BASE_ID = "appKilnDemoCRM001";
/** Id of its "Contacts" table. */
export const DEMO_CONTACTS_TABLE_ID = "tblKilnContacts01";

/** A field in Airtable's write format (`POST /v0/meta/bases/{baseId}/tables/{tableId}/fields`). */
export interface SeedField {
  name: string;
  type: string;
  description?: string;
  options?: { choices?: { id?: string; name: string; color?: string }[]; [option: string]: unknown };
}

/** A view: the fake applies its filter and order when a list names it. */
export interface SeedView {
  name: string;
  filterByFormula?: string;
  sort?: { field: string; direction: "asc" | "desc" }[];
}

/** A table to create, with its rows (cell values by field name). */
export interface SeedTable {
  id?: string;
  name: string;
  description?: string;
  fields: SeedField[];
  views?: SeedView[];
  rows?: Record<string, string | number | boolean>[];
}

/** A base to create. */
export interface SeedBase {
  id?: string;
  name: string;
  tables: SeedTable[];
}

/** "Demo CRM" with a "Contacts" table of five people. */
export const demoCrm: SeedBase = {
  id: DEMO_BASE_ID,
  name: "Demo CRM",
  tables: [
    {
      id: DEMO_CONTACTS_TABLE_ID,
      name: "Contacts",
      description: "People we talk to",
      fields: [
        { name: "Name", type: "singleLineText" },
        { name: "Email", type: "email" },
        { name: "Company", type: "singleLineText" },
        {
          name: "Status",
          type: "singleSelect",
          options: {
            choices: [
              { name: "Lead", color: "blueLight2" },
              { name: "Customer", color: "greenLight2" },
              { name: "Churned", color: "grayLight2" },
            ],
          },
        },
        { name: "Deal Size", type: "number", options: { precision: 0 } },
        { name: "Newsletter", type: "checkbox", options: { icon: "check", color: "greenBright" } },
        { name: "Last Contacted", type: "date", options: { dateFormat: { name: "iso" } } },
        { name: "Notes", type: "multilineText" },
      ],
      views: [
        { name: "Grid view" },
        {
          name: "Customers",
          filterByFormula: "{Status} = 'Customer'",
          sort: [{ field: "Deal Size", direction: "desc" }],
        },
      ],
      rows: [
        {
          Name: "Ada Lovelace",
          Email: "ada@analytical.example",
          Company: "Analytical Engines",
          Status: "Customer",
          "Deal Size": 12000,
          Newsletter: true,
          "Last Contacted": "2025-03-02",
        },
        {
          Name: "Grace Hopper",
          Email: "grace@cobol.example",
          Company: "Compilers Inc",
          Status: "Customer",
          "Deal Size": 30000,
          "Last Contacted": "2025-02-14",
          Notes: "Wants a yearly plan",
        },
        {
          Name: "Alan Turing",
          Email: "alan@bletchley.example",
          Company: "Bletchley Labs",
          Status: "Lead",
          "Deal Size": 5000,
          Newsletter: true,
        },
        {
          Name: "Katherine Johnson",
          Email: "katherine@orbits.example",
          Company: "Orbital Math",
          Status: "Lead",
          "Last Contacted": "2025-01-20",
        },
        {
          Name: "Edsger Dijkstra",
          Email: "edsger@paths.example",
          Company: "Shortest Paths BV",
          Status: "Churned",
          "Deal Size": 800,
        },
      ],
    },
  ],
};
