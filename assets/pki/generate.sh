#!/usr/bin/env bash
# Writes the default world's kubeadm PKI into this folder, as `kubeadm init` would have on
# 2026-01-15T09:00:00Z (the world's install time) for the node addresses of the default scenario.
# Run once by hand; the outputs are committed. Files that already exist are kept, so the CA and the
# admin certificate (which golden outputs depend on) never change.
#
# What follows kubeadm v1.35 (cmd/kubeadm/app/phases/certs, app/util/pkiutil): RSA-2048 keys;
# CAs valid 10 years, leaf certificates 1 year; a leaf's notBefore is its CA's notBefore (the CA is
# backdated 5 minutes); subjects, SANs and key usages per certificate as in kubeadm's cert list;
# the kubelet's serving certificate is self-signed by a "<node>-ca@<unix time>" CA of its own.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
start=20260115085500Z          # install time minus kubeadm's 5-minute backdate
ca_end=20360113090000Z         # install time + 3650 days
leaf_end=20270115090000Z       # install time + 365 days
install_unix=1768467600        # 2026-01-15T09:00:00Z
cp_ip=172.30.1.2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
serial=10

key() { [[ -f $1 ]] || openssl genrsa -out "$1" 2048 2>/dev/null; }

# sign OUT.crt KEY SUBJECT CA_CRT CA_KEY EXTENSIONS [END]
sign() {
  local start=${start:-20260115085500Z}
  local out=$1 keyf=$2 subj=$3 cacrt=$4 cakey=$5 ext=$6 end=${7:-$leaf_end}
  [[ -f $out ]] && return
  serial=$((serial + 1))
  mkdir -p "$work/db" && : >"$work/db/index" && printf '%02X\n' "$serial" >"$work/db/serial"
  cat >"$work/ca.cnf" <<CNF
[ca]
default_ca = d
[d]
database = $work/db/index
serial = $work/db/serial
new_certs_dir = $work/db
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[any]
commonName = supplied
organizationName = optional
[ext]
$ext
CNF
  openssl req -new -key "$keyf" -subj "$subj" -out "$work/req.csr" 2>/dev/null
  local selfsign=()
  [[ $cacrt == self ]] && selfsign=(-selfsign) && cacrt=/dev/null
  openssl ca -batch -notext -config "$work/ca.cnf" -extensions ext -startdate "$start" -enddate "$end" \
    "${selfsign[@]}" $([[ $cacrt != /dev/null ]] && echo -cert "$cacrt") -keyfile "$cakey" \
    -in "$work/req.csr" -out "$out" 2>/dev/null
}

ca_ext='basicConstraints = critical, CA:TRUE
keyUsage = critical, digitalSignature, keyEncipherment, keyCertSign
subjectKeyIdentifier = hash'
leaf() { # leaf EXTENDED_USAGE [SAN]
  printf 'basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature, keyEncipherment\nextendedKeyUsage = %s\nauthorityKeyIdentifier = keyid\n' "$1"
  [[ -n ${2:-} ]] && printf 'subjectAltName = %s\n' "$2"
  return 0
}

mkdir -p etcd kubelet
for ca in front-proxy-ca etcd/ca; do
  key $ca.key
  sign $ca.crt $ca.key "/CN=${ca/etcd\/ca/etcd-ca}" self $ca.key "$ca_ext" $ca_end
done

apiserver_san="DNS:controlplane, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local, IP:10.96.0.1, IP:$cp_ip"
etcd_san="DNS:controlplane, DNS:localhost, IP:$cp_ip, IP:127.0.0.1, IP:0:0:0:0:0:0:0:1"
# name  subject  ca  usages  sans
while IFS='|' read -r name subj ca usage san; do
  key $name.key
  sign $name.crt $name.key "$subj" $ca.crt $ca.key "$(leaf "$usage" "$san")"
done <<LIST
apiserver|/CN=kube-apiserver|ca|serverAuth|$apiserver_san
apiserver-kubelet-client|/O=kubeadm:cluster-admins/CN=kube-apiserver-kubelet-client|ca|clientAuth|
apiserver-etcd-client|/CN=kube-apiserver-etcd-client|etcd/ca|clientAuth|
front-proxy-client|/CN=front-proxy-client|front-proxy-ca|clientAuth|
etcd/server|/CN=controlplane|etcd/ca|serverAuth, clientAuth|$etcd_san
etcd/peer|/CN=controlplane|etcd/ca|serverAuth, clientAuth|$etcd_san
etcd/healthcheck-client|/CN=kube-etcd-healthcheck-client|etcd/ca|clientAuth|
super-admin|/O=system:masters/CN=kubernetes-super-admin|ca|clientAuth|
controller-manager|/CN=system:kube-controller-manager|ca|clientAuth|
scheduler|/CN=system:kube-scheduler|ca|clientAuth|
LIST

# The service-account signing key pair.
key sa.key
[[ -f sa.pub ]] || openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null

# Each node's kubelet: a client certificate from the cluster CA (after TLS bootstrap) and a
# self-signed serving certificate.
for node in controlplane node01 node02; do
  key kubelet/$node-client.key
  sign kubelet/$node-client.crt kubelet/$node-client.key "/O=system:nodes/CN=system:node:$node" ca.crt ca.key "$(leaf clientAuth)"
  # client-go's GenerateSelfSignedCertKey: a throwaway "<host>-ca@<time>" CA signs the serving
  # certificate; the file holds both; valid from an hour before start-up for a year.
  if [[ ! -f kubelet/$node.crt ]]; then
    rm -f "$work"/kubelet*.crt
    openssl genrsa -out "$work/kubelet-ca.key" 2048 2>/dev/null
    start=20260115080000Z sign "$work/kubelet-ca.crt" "$work/kubelet-ca.key" "/CN=$node-ca@$install_unix" self "$work/kubelet-ca.key" "$ca_ext" $leaf_end
    key kubelet/$node.key
    start=20260115080000Z sign "$work/kubelet.crt" kubelet/$node.key "/CN=$node@$install_unix" "$work/kubelet-ca.crt" "$work/kubelet-ca.key" \
      "$(leaf serverAuth "DNS:$node")"
    cat "$work/kubelet.crt" "$work/kubelet-ca.crt" >kubelet/$node.crt
  fi
done
echo "PKI in $(pwd)"
