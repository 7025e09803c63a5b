// Where a submission goes: sorted by Kiln's AI (its `category`), a row in the owner's Airtable table (the
// `SUBMISSIONS` setup item: CONFIG.SUBMISSIONS, in base CONFIG.SUBMISSIONS_BASE) and an email to CONFIG.NOTIFY_EMAIL.
import { airtable } from "kiln/airtable";
import { generateObject } from "kiln/ai";
import { google } from "kiln/google";
import type { AppEnv, Row } from "kiln";
import { z } from "zod";
import type { tables } from "./tables";

type Env = AppEnv<typeof tables>;
type Submission = Row<(typeof tables)["submissions"]>;

/** The Airtable columns a submission fills. */
interface SubmissionFields {
  Name: string;
  Email: string;
  Message: string;
}

/** What Kiln's AI sorts each message into: the owner sees it in the email's subject and can filter on it. */
const Sorted = z.object({ category: z.enum(["question", "request", "feedback", "complaint", "spam"]) });

function problemOf(step: string, error: unknown): string {
  return `${step}: ${error instanceof Error ? error.message : String(error)}`;
}

/** Sorts the message, saves it to Airtable and emails the owner; each step that fails is noted on the submission, and the others still run. */
export async function deliver(env: Env, submission: Submission, title: string): Promise<Submission> {
  const problems: string[] = [];
  let category: string | null = null;
  let airtableId: string | null = null;
  let notified = false;
  try {
    const { object } = await generateObject({
      schema: Sorted,
      system: "Sort this message, sent through a website's contact form, into one category.",
      prompt: submission.message,
    });
    category = object.category;
  } catch (error) {
    problems.push(problemOf("AI", error)); // e.g. the app's monthly AI budget is spent: the rest still runs
  }
  const baseId = env.CONFIG.SUBMISSIONS_BASE;
  if (baseId) {
    try {
      const record = await airtable.table<SubmissionFields>(baseId, env.CONFIG.SUBMISSIONS || "Submissions").create({ Name: submission.name, Email: submission.email, Message: submission.message });
      airtableId = record.id;
    } catch (error) {
      problems.push(problemOf("Airtable", error));
    }
  } else problems.push("Airtable: pick the Submissions table in the app's Setup tab to save submissions there.");
  const to = env.CONFIG.NOTIFY_EMAIL;
  if (to) {
    try {
      await google.gmail.send({
        to,
        replyTo: submission.email,
        subject: `${title}: new ${category ?? "message"} from ${submission.name}`,
        text: `${submission.name} <${submission.email}> wrote:\n\n${submission.message}\n`,
      });
      notified = true;
    } catch (error) {
      problems.push(problemOf("Gmail", error));
    }
  } else problems.push("Gmail: set NOTIFY_EMAIL in the app's Setup tab to be emailed about submissions.");
  if (problems.length > 0) console.warn(`submission ${submission.id}: ${problems.join(" ")}`);
  const updated = await env.DB.update("submissions", submission.id, { category, airtable_id: airtableId, notified, problem: problems.length > 0 ? problems.join(" ") : null });
  return updated ?? submission;
}
