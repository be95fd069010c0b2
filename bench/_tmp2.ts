import { SaxesParser } from "saxes";
import { StringDecoder } from "node:string_decoder";
import { StreamParser } from "../src/xml/parser.ts";
const HEADER = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
const variant = process.argv[2];
const parts=[HEADER];
const body = variant==="emoji" ? "Ça marche, à demain 😀" : "Are we still on for lunch tomorrow? I can be there at 12:30 &amp; bring";
for (let i=0;i<50000;i++) parts.push(`<message to='juliet@example.org/balcony' type='chat' id='m${i}'><body>${body}</body><active xmlns='http://jabber.org/protocol/chatstates'/><request xmlns='urn:xmpp:receipts'/></message>`);
const input = Buffer.from(parts.join(""));
for (let r=0;r<4;r++){
const t0=performance.now();
let n=0;
if (process.argv[3]==="mine") {
  const p = new StreamParser({streamStart(){}, stanza(){n++}, streamEnd(){}, error(e){throw e}});
  for (let off=0; off<input.length; off+=4096) p.write(input.subarray(off,off+4096));
} else {
const p = new SaxesParser({xmlns:true});
p.on("opentag",()=>{n++}); p.on("text",()=>{});
const d = new StringDecoder("utf8");
for (let off=0; off<input.length; off+=4096) p.write(d.write(input.subarray(off,off+4096)));
}
console.log(n, (performance.now()-t0).toFixed(0),"ms", (input.length/1e6/((performance.now()-t0)/1000)).toFixed(1),"MB/s");
}
