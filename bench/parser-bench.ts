// Throughput of src/xml/parser.ts: ~50k realistic c2s stanzas fed in 4 KB Buffer chunks.
// Run: node --import tsx bench/parser-bench.ts [stanzas] [chunkBytes]
import { StreamParser } from "../src/xml/parser.ts";

const N = Number(process.argv[2] ?? 50_000);
const CHUNK = Number(process.argv[3] ?? 4096);

const HEADER =
  "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' " +
  "to='example.org' version='1.0' xml:lang='en'>";

const BODIES = [
  "hi!",
  "Are we still on for lunch tomorrow? I can be there at 12:30 &amp; bring the docs",
  "ok 👍",
  "Ça marche, à demain 😀",
  "&lt;script&gt; is escaped, right?",
  "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore.",
];

function stanza(i: number): string {
  const id = `m${i.toString(36)}-a1b2c3`;
  switch (i % 8) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
      return (
        `<message to='juliet@example.org/balcony' type='chat' id='${id}'>` +
        `<body>${BODIES[i % BODIES.length]}</body>` +
        `<active xmlns='http://jabber.org/protocol/chatstates'/>` +
        `<request xmlns='urn:xmpp:receipts'/>` +
        `<origin-id xmlns='urn:xmpp:sid:0' id='${id}'/>` +
        `</message>`
      );
    case 5:
      return (
        `<presence id='${id}'><show>away</show><status>In a meeting</status><priority>5</priority>` +
        `<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='https://conversations.im' ver='QgayPKawpkPSDYmwT/WM94uAlu0='/>` +
        `<x xmlns='vcard-temp:x:update'><photo>01b87fcd030b72895ff8e88db57ec525450f000d</photo></x></presence>`
      );
    case 6:
      return `<iq type='get' id='${id}' to='example.org'><ping xmlns='urn:xmpp:ping'/></iq>`;
    default:
      return `<message to='juliet@example.org' type='chat' id='${id}'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>\n`;
  }
}

const parts: string[] = [HEADER];
for (let i = 0; i < N; i++) parts.push(stanza(i));
const input = Buffer.from(parts.join(""), "utf8");

function run(): { ms: number; count: number } {
  let count = 0;
  const p = new StreamParser({
    streamStart() {},
    stanza() {
      count++;
    },
    streamEnd() {},
    error(e) {
      throw e;
    },
  });
  const t0 = process.hrtime.bigint();
  for (let off = 0; off < input.length; off += CHUNK) p.write(input.subarray(off, off + CHUNK));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, count };
}

run(); // warm-up
let best = Infinity;
let count = 0;
for (let r = 0; r < 5; r++) {
  const res = run();
  count = res.count;
  if (res.ms < best) best = res.ms;
}
if (count !== N) throw new Error(`parsed ${count} stanzas, expected ${N}`);
const mb = input.length / 1024 / 1024;
console.log(
  `${N} stanzas, ${mb.toFixed(1)} MB in ${CHUNK}-byte chunks: best ${best.toFixed(0)} ms, ` +
    `${Math.round(N / (best / 1000)).toLocaleString("en")} stanzas/s, ${(mb / (best / 1000)).toFixed(1)} MB/s`,
);
