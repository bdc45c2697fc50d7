// A single-member etcd for a test kube-apiserver: its data directory, client URL and (unused) peer URL given.
package main

import (
	"log"
	"net/url"
	"os"

	"go.etcd.io/etcd/server/v3/embed"
)

func main() {
	if len(os.Args) != 4 {
		log.Fatal("usage: etcd DATA_DIR CLIENT_URL PEER_URL")
	}
	cfg := embed.NewConfig()
	cfg.Dir = os.Args[1]
	u, err := url.Parse(os.Args[2])
	if err != nil {
		log.Fatal(err)
	}
	cfg.ListenClientUrls = []url.URL{*u}
	cfg.AdvertiseClientUrls = []url.URL{*u}
	peer, err := url.Parse(os.Args[3])
	if err != nil {
		log.Fatal(err)
	}
	cfg.ListenPeerUrls = []url.URL{*peer}
	cfg.AdvertisePeerUrls = []url.URL{*peer}
	cfg.InitialCluster = cfg.Name + "=" + peer.String()
	cfg.LogLevel = "error"
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		log.Fatal(err)
	}
	<-e.Server.ReadyNotify()
	log.Printf("etcd ready on %s", u)
	log.Fatal(<-e.Err())
}
