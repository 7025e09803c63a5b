// Everyday requests a person might type into Kiln (none of them a template's sentence), each with
// the behaviour that would make the app "what was asked", in words. Recorded answers of a real model
// to each live in worker/test/scripted-model/recorded/everyday-<name>.<step>.txt; the regression
// suite (everyday.test.ts) builds each through the chat and checks that behaviour.

/** One request and what its app must do. */
export interface EverydayRequest {
  name: string;
  request: string;
  /** The behaviour check, in words; everyday.test.ts holds its code. */
  behaviour: string;
}

/** Twelve requests across payments, spreadsheets, tables, mail, calendars, schedules and plain data. */
export const everydayRequests: readonly EverydayRequest[] = [
  {
    name: "daily-revenue",
    request:
      "Every morning at 8 email me (owner@example.com) how much money came in through Stripe yesterday, and show today's takings so far on a page.",
    behaviour:
      "With charges in Stripe yesterday and today, a run of the morning job emails owner@example.com yesterday's total only; the page shows today's total.",
  },
  {
    name: "refund-desk",
    request:
      "A page where I type a customer's email and see their recent Stripe payments, with a button to refund any of them.",
    behaviour:
      "Searching a customer's email lists the amounts of their charges; refunding one creates a Stripe refund for that charge; strangers cannot use it.",
  },
  {
    name: "guide-buyers",
    request:
      "I sell a PDF guide through a Stripe payment link. Show me a list of everyone who bought it, with their email and the date.",
    behaviour:
      "Completed checkout sessions of the payment link (including ones paid before the app existed) appear with email and date, to the owner only.",
  },
  {
    name: "expenses-sheet",
    request: "Let me log expenses from my phone (amount, category, note) into my Google Sheet called 'Expenses 2026'.",
    behaviour:
      "Submitting the form appends a row with the amount, category and note to the spreadsheet named 'Expenses 2026', found by name.",
  },
  {
    name: "leads-airtable",
    request:
      "A contact form for my website that saves leads to Airtable in a table called Leads (name, email, message). Create the table if it isn't there.",
    behaviour:
      "Submitting the form creates the Leads table in the owner's base when missing and adds a record with name, email and message.",
  },
  {
    name: "bakery-hours",
    request:
      "A page for my bakery that says whether we're open right now: Monday to Friday 7:00–18:00, Saturday 8:00–14:00, closed on Sunday, Berlin time.",
    behaviour: "The page says open or closed as the real time in Europe/Berlin says, on any day of the week.",
  },
  {
    name: "appointment-reminders",
    request:
      "Every evening at 6, email everyone who has an appointment in my Google Calendar tomorrow a reminder with the time.",
    behaviour:
      "A run of the evening job emails each attendee of tomorrow's calendar events (not today's or later ones) a message naming the time.",
  },
  {
    name: "failed-payments",
    request:
      "When a subscriber's payment fails on Stripe, email them a kind note asking them to update their card, and keep a list for me of who is behind.",
    behaviour: "A signed invoice.payment_failed event emails the customer and adds them to an owner-only list.",
  },
  {
    name: "low-stock",
    request:
      "Track my shop's stock (item name and quantity) and email me at owner@example.com every Monday at 9 with everything below 5.",
    behaviour: "Items added through the app; a run of the Monday job emails only the items with quantity under 5.",
  },
  {
    name: "dinner-rsvp",
    request:
      "An RSVP page for our community dinner with 40 seats: people give their name and how many they're bringing. Show seats left and stop taking RSVPs when it's full.",
    behaviour:
      "The page shows 40 seats; RSVPs lower it; an RSVP that does not fit is refused and nothing is saved for it.",
  },
  {
    name: "paying-customers",
    request:
      "Whenever someone pays me on Stripe, add or update them in my Airtable base's 'Customers' table with their email and the total they've spent.",
    behaviour:
      "Two signed checkout.session.completed events for one email leave one Airtable record with the sum of both.",
  },
  {
    name: "quick-invoice",
    request:
      "A form where I enter a client's email, what the work was and the amount, and it sends them a Stripe invoice.",
    behaviour:
      "Submitting the form leaves a finalized, sent Stripe invoice for a customer with that email, with one line of that amount and description.",
  },
];
