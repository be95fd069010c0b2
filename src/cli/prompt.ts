// Reading a password: from standard input (--password-stdin) or typed at a terminal without echo.
import { createInterface } from "node:readline";
import { CliError } from "./errors.ts";

export async function readPasswordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  const line = text.split(/\r?\n/)[0] ?? "";
  if (line === "") throw new CliError("no password on standard input");
  return line;
}

export async function promptPassword(question: string): Promise<string> {
  if (!process.stdin.isTTY) throw new CliError("no terminal to ask for a password on; use --password-stdin");
  const first = await askHidden(question);
  const again = await askHidden("Again: ");
  if (first !== again) throw new CliError("the passwords do not match");
  if (first === "") throw new CliError("an empty password is not allowed");
  return first;
}

function askHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const out = rl as unknown as { _writeToOutput: (s: string) => void };
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write("\n");
      resolve(answer);
    });
    out._writeToOutput = () => undefined;
  });
}

export async function obtainPassword(fromStdin: boolean | undefined): Promise<string> {
  return fromStdin ? readPasswordFromStdin() : promptPassword("Password: ");
}
