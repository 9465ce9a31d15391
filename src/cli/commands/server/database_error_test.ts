import assert from "node:assert/strict";
import { DatabaseOpenError } from "../../../server/store/open.ts";
import {
  databaseOpenProblem,
  OPEN_FAILURE_REMEDIATIONS,
  POSTGRES_OTHER_REMEDIATION,
} from "./database_error.ts";

Deno.test("a failure not told apart gets the advice of its engine, and the URL's password stays hidden", () => {
  const cause = new Error("permission denied for schema public");
  const postgres = databaseOpenProblem(
    new DatabaseOpenError("postgres://app:s3cret@db.example/phyware", cause),
  );
  assert.equal(postgres.remediation, POSTGRES_OTHER_REMEDIATION);
  assert.doesNotMatch(postgres.message, /s3cret/);
  const sqlite = databaseOpenProblem(new DatabaseOpenError("/var/lib/phyware/phyware.db", cause));
  assert.equal(sqlite.remediation, OPEN_FAILURE_REMEDIATIONS.other);
  assert.match(sqlite.message, /^Cannot open database "\/var\/lib\/phyware\/phyware\.db": /);
});

Deno.test("a database URL that cannot be parsed shows neither its password in the location nor in the cause", () => {
  const problem = databaseOpenProblem(
    new DatabaseOpenError("postgres://app:s3cret@/", new TypeError("Invalid URL: 'postgres://app:s3cret@/'")),
  );
  assert.doesNotMatch(problem.message, /s3cret|app:/);
  assert.equal(
    problem.message,
    "Cannot open database \"(a database URL that cannot be parsed)\": it cannot be opened (Invalid URL: 'postgres://***@/')",
  );
});
