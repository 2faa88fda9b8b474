#!/bin/bash
# make-pki.sh DIR: a throw-away x509 PKI for TLS tests, with openssl.
#   DIR/cacert.pem, DIR/cakey.pem                       the CA
#   DIR/servercert.pem, DIR/serverkey.pem               for 127.0.0.1 / localhost
#   DIR/clientcert.pem, DIR/clientkey.pem               a client certificate
# i.e. DIR is what libvirt's ?pkipath= expects on the client side, and what the daemon's
# ca_file/cert_file/key_file point to. Needs: openssl.
set -euo pipefail
D=$1
mkdir -p "$D"
cd "$D"
cat >ca.cnf <<'CNF'
[req]
distinguished_name = dn
prompt = no
x509_extensions = ext
[dn]
CN = oxvirt test CA
[ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
CNF
cat >server.ext <<'CNF'
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
CNF
cat >client.ext <<'CNF'
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
CNF
openssl req -x509 -newkey rsa:2048 -nodes -keyout cakey.pem -out cacert.pem -days 2 \
  -config ca.cnf 2>/dev/null
for who in server client; do
  openssl req -newkey rsa:2048 -nodes -keyout ${who}key.pem -out $who.csr \
    -subj "/O=oxvirt/CN=$( [ $who = server ] && echo localhost || echo oxvirt-client )" 2>/dev/null
  openssl x509 -req -in $who.csr -CA cacert.pem -CAkey cakey.pem -CAcreateserial \
    -out ${who}cert.pem -days 2 -extfile $who.ext 2>/dev/null
done
chmod 600 ./*key.pem
