// OpenSSL's libcrypto (Debian: libssl-dev), for SHA-256 only: file identities,
// manifests and fingerprints (Support/Digest.swift). The system library
// replaced swift-crypto, whose BoringSSL took most of a fresh build's time.
#include <openssl/evp.h>
