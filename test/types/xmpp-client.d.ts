// The little of @xmpp/client's API the end-to-end tests use (the package ships no types).
declare module "@xmpp/client" {
  export interface XmlElement {
    name: string;
    attrs: Record<string, string>;
    is(name: string, xmlns?: string): boolean;
    getChild(name: string, xmlns?: string): XmlElement | undefined;
    getChildren(name: string, xmlns?: string): XmlElement[];
    getChildText(name: string, xmlns?: string): string | null;
    toString(): string;
  }
  export interface Client {
    start(): Promise<{ toString(): string }>;
    stop(): Promise<void>;
    send(el: XmlElement): Promise<void>;
    on(event: string, fn: (arg: never) => void): void;
    iqCaller: { get(el: XmlElement, to?: string): Promise<XmlElement>; set(el: XmlElement, to?: string): Promise<XmlElement> };
  }
  export function client(opts: Record<string, unknown>): Client;
  export function xml(name: string, attrs?: Record<string, string | undefined> | null, ...children: (XmlElement | string)[]): XmlElement;
}
