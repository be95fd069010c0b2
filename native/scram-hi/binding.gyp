{
  "targets": [
    {
      "target_name": "scram_hi",
      "sources": ["scram_hi.c", "hash.c", "multi.c", "shani.c"],
      "defines": ["OPENSSL_SUPPRESS_DEPRECATED", "NAPI_VERSION=8"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-std=gnu11"],
      "conditions": [["OS=='linux'", { "libraries": ["-ldl"] }]]
    }
  ]
}
