// invites.md §11, §11a: web registration (and password reset) at /register, the JSON registration API at /register_api.
import type { Hono } from "hono";
import type { HttpEnv } from "../../http/types.ts";
import { registerApiRoutes } from "./register-api.ts";
import type { RegistrationDeps } from "./register-deps.ts";
import { registerRoutes } from "./register-routes.tsx";

export type { RegistrationDeps } from "./register-deps.ts";

export function mountRegistration(app: Hono<HttpEnv>, deps: RegistrationDeps): void {
  app.route("/register", registerRoutes(deps));
  app.route("/register_api", registerApiRoutes(deps));
}
