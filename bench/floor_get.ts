/**
 * The floor of `users get`: the cheapest program doing its work, one GET of the path it is given with the
 * key from the environment, the body printed, exit. Compiled with the release flags (bench/binary.ts).
 */
import process from "node:process";

const response = await fetch(`${process.env.PHYCLOUD_URL}${process.argv[2]}`, {
  headers: { authorization: `Bearer ${process.env.PHYCLOUD_API_KEY}`, accept: "application/json" },
});
// console.log: process.stdout would build a Node stream first, which costs Bun more than the request.
console.log(await response.text());
process.exit(response.ok ? 0 : 1);
