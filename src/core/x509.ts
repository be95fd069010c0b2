// @peculiar/x509 needs the Reflect metadata API before it is evaluated; import it through here.
import "reflect-metadata";

export * from "@peculiar/x509";
