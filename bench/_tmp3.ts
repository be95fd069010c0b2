import { SaxesParser } from "saxes";
import { StringDecoder } from "node:string_decoder";
const HEADER = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
const parts=[HEADER];
const body = "Are we still on for lunch tomorrow? I can be there at 12:30 &amp; bring";
for (let i=0;i<50000;i++) parts.push(`<message to='juliet@example.org/balcony' type='chat' id='m${i}'><body>${body}</body><active xmlns='http://jabber.org/protocol/chatstates'/><request xmlns='urn:xmpp:receipts'/></message>`);
const input = Buffer.from(parts.join(""));
const opts: any = process.argv.includes("force") ? {xmlns:true, forceXMLVersion:true, defaultXMLVersion:"1.0"} : {xmlns:true};
for (let r=0;r<4;r++){
const t0=performance.now();
let n=0;
const p = new SaxesParser(opts);
p.on("opentag",()=>{n++}); p.on("text",()=>{});
if (process.argv.includes("close")) p.on("closetag",()=>{});
if (process.argv.includes("pos")) p.on("closetag",()=>{n+=p.position*0});
for (const ev of process.argv.slice(2)) if (!["force","close","pos"].includes(ev)) p.on(ev as any, ()=>{});
const d = new StringDecoder("utf8");
for (let off=0; off<input.length; off+=4096) p.write(d.write(input.subarray(off,off+4096)));
console.log(n, (performance.now()-t0).toFixed(0),"ms");
}
