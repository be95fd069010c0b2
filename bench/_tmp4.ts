import { SaxesParser } from "saxes";
import { StringDecoder } from "node:string_decoder";
const HEADER = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
const parts=[HEADER];
const body = "Are we still on for lunch tomorrow? I can be there at 12:30 &amp; bring";
for (let i=0;i<50000;i++) parts.push(`<message to='juliet@example.org/balcony' type='chat' id='m${i}'><body>${body}</body><active xmlns='http://jabber.org/protocol/chatstates'/><request xmlns='urn:xmpp:receipts'/></message>`);
const input = Buffer.from(parts.join(""));
const mode = process.argv[2];
const evs = ["opentag","closetag","text","cdata","error","doctype","comment","processinginstruction","xmldecl"].slice(0, Number(process.argv[3] ?? 9));
class Sub extends SaxesParser<{xmlns:true}> {
  constructor() { super({xmlns:true}); const t = this as any;
    t.xmldeclHandler = t.textHandler = t.piHandler = t.doctypeHandler = t.commentHandler = t.openTagStartHandler = t.openTagHandler = t.closeTagHandler = t.cdataHandler = t.errorHandler = t.endHandler = t.readyHandler = t.attributeHandler = undefined; }
}
for (let r=0;r<4;r++){
const t0=performance.now();
let n=0;
const p: SaxesParser<{xmlns:true}> = mode === "sub" ? new Sub() : new SaxesParser({xmlns:true});
for (const e of evs) p.on(e as any, e === "opentag" ? () => {n++} : ()=>{});
if (mode === "proto") { const o = Object.create(p); void o; }
if (mode === "bluebird") { function F(){} F.prototype = p; new (F as any)(); }
if (r===0 && process.argv[4]) console.log("%HasFastProperties", eval("%HasFastProperties(p)"));
const d = new StringDecoder("utf8");
for (let off=0; off<input.length; off+=4096) p.write(d.write(input.subarray(off,off+4096)));
console.log(n, (performance.now()-t0).toFixed(0),"ms");
}
