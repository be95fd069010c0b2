// XEP-0050 1.3.0: ad-hoc commands on the server's domains, listed on the commands node and run in sessions.
import { defineModule, type IqContext, type ModuleContext, type ModuleDefinition } from "../../core/module.ts";
import type { Element } from "../../xml/element.ts";
import type { Jid } from "../../xmpp/jid.ts";
import { NS } from "../../xmpp/namespaces.ts";
import { StanzaError } from "../../xmpp/stanza-error.ts";
import type { DiscoApi, DiscoRequest } from "../disco/api.ts";
import type { AdhocApi, CommandOutcome, CommandSpec, Requester, StageAction } from "./api.ts";
import { CommandError, decodeCommand, encodeCommand, forbidden } from "./codec.ts";
import { type CommandSession, CommandSessions } from "./sessions.ts";

export type * from "./api.ts";

export interface AdhocOptions {
  /** How long a multi-stage session waits for its next stage; default 5 minutes. */
  sessionTtlSeconds?: number;
  now?: () => number;
}

async function requesterOf(ctx: ModuleContext, from: Jid, host: string): Promise<Requester> {
  const account = from.domain === host && from.local !== undefined ? await ctx.storage.accounts.get(host, from.local) : undefined;
  return { jid: from, host, isLocal: account !== undefined, isAdmin: account?.role === "admin", role: account?.role };
}

function visible(cmd: CommandSpec, r: Requester): boolean {
  return (!cmd.localOnly || r.isLocal) && cmd.allowed(r.jid, r.isAdmin);
}

export function createAdhocModule(opts: AdhocOptions = {}): ModuleDefinition<AdhocApi> {
  return defineModule<AdhocApi>({
    name: "adhoc",
    depends: ["disco"],
    xeps: [
      { xep: 50, version: "1.3.0", note: "server commands on each hosted domain; sessions expire after 5 minutes idle" },
      { xep: 4, version: "2.13.2", note: "forms in ad-hoc commands" },
    ],
    setup(ctx) {
      const disco = ctx.use<DiscoApi>("disco");
      const commands = new Map<string, CommandSpec>();
      const sessions = new CommandSessions({
        ttlMs: (opts.sessionTtlSeconds ?? 300) * 1000,
        maxPerRequester: 10,
        maxTotal: 10_000,
        now: opts.now ?? Date.now,
      });

      const removeList = [
        disco.addItemsProvider(NS.COMMANDS, async (req: DiscoRequest) => {
          const r = await requesterOf(ctx, req.from, req.to.domain);
          return [...commands.values()].filter((c) => visible(c, r)).map((c) => ({ jid: req.to.toString(), node: c.node, name: c.name }));
        }),
        disco.addInfoProvider(NS.COMMANDS, () => ({
          identities: [{ category: "automation", type: "command-list", name: "Ad-Hoc Commands" }],
          features: [NS.DISCO_ITEMS],
        })),
      ];

      const api: AdhocApi = {
        register<S>(spec: CommandSpec<S>): () => void {
          const cmd = spec as CommandSpec;
          if (commands.has(cmd.node)) throw new Error(`two ad-hoc commands with node ${cmd.node}`);
          commands.set(cmd.node, cmd);
          const removeInfo = disco.addInfoProvider(cmd.node, async (req) => {
            if (!visible(cmd, await requesterOf(ctx, req.from, req.to.domain))) throw new StanzaError("forbidden");
            return {
              identities: [{ category: "automation", type: "command-node", name: cmd.name }],
              features: [NS.COMMANDS, NS.DATA_FORMS],
            };
          });
          return () => {
            if (commands.get(cmd.node) === cmd) commands.delete(cmd.node);
            removeInfo();
          };
        },
      };

      const execute = async (iq: IqContext, el: Element): Promise<Element> => {
        const req = decodeCommand(el);
        const node = req.node;
        const host = iq.to.domain;
        const cmd = commands.get(node);
        if (!cmd) throw new StanzaError("item-not-found", "No such command");
        const requester = await requesterOf(ctx, iq.from, host);
        if (cmd.localOnly && !requester.isLocal) {
          return encodeCommand({
            node,
            sessionId: req.sessionId ?? CommandSessions.newId(),
            status: "completed",
            notes: [{ type: "error", text: `This command is only available to users of ${host}` }],
          });
        }
        if (!cmd.allowed(requester.jid, requester.isAdmin)) throw forbidden(node);

        let session: CommandSession | undefined;
        if (req.sessionId !== undefined) {
          const found = sessions.get(req.sessionId, node, iq.from.toString());
          if (found.kind === "unknown") throw new CommandError("bad-request", "bad-sessionid", "No such session");
          if (found.kind === "expired") throw new CommandError("not-allowed", "session-expired", "The session has expired");
          session = found.session;
        }
        if (req.action === "cancel") {
          if (session) sessions.close(session.id);
          return encodeCommand({ node, sessionId: req.sessionId ?? CommandSessions.newId(), status: "canceled" });
        }
        let action: "execute" | StageAction;
        if (session) {
          action = req.action === "execute" ? session.execute : req.action;
          if (!session.offered.includes(action)) throw new CommandError("bad-request", "bad-action", `'${action}' is not possible at this stage`);
        } else {
          if (req.action === "prev") throw new CommandError("bad-request", "bad-action", "There is no previous stage");
          action = req.action;
        }

        let outcome: CommandOutcome;
        try {
          outcome = await cmd.handler({ requester, action, form: req.form, stage: session?.stage ?? 0, state: session?.state, command: el });
        } catch (e) {
          if (session) sessions.close(session.id);
          throw e;
        }
        if (outcome.status === "completed") {
          if (session) sessions.close(session.id);
          return encodeCommand({
            node,
            sessionId: session?.id ?? CommandSessions.newId(),
            status: "completed",
            notes: outcome.notes,
            form: outcome.form,
          });
        }
        const offered = outcome.actions && outcome.actions.length > 0 ? outcome.actions : (["complete"] as StageAction[]);
        const defaultAction = outcome.defaultAction ?? offered[offered.length - 1]!;
        if (!offered.includes(defaultAction)) throw new Error(`command ${node}: default action ${defaultAction} is not offered`);
        const next = { state: outcome.state, offered, execute: defaultAction };
        if (session) sessions.advance(session, next);
        else session = sessions.open(node, iq.from.toString(), { stage: 1, ...next });
        return encodeCommand({
          node,
          sessionId: session.id,
          status: "executing",
          actions: { offered, execute: defaultAction },
          notes: outcome.notes,
          form: outcome.form,
        });
      };

      return {
        api,
        iq: [{ type: "set", ns: NS.COMMANDS, name: "command", scope: "host", handler: execute }],
        disco: { features: [NS.COMMANDS] },
        stop() {
          for (const remove of removeList) remove();
        },
      };
    },
  });
}

export default createAdhocModule();
