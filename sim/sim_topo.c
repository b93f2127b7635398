/* sim_topo.c - the SimGrid platform of a kv_platform, as plain data.
 *
 * One description (hosts, links, routes) feeds both the C++ builder
 * (sim_simgrid.cpp) and the XML debug dump, so what is dumped is what is
 * simulated. See docs/simgrid.md for the picture.
 * Main entry points: kv_sim_topo_build(), kv_sim_topo_write_xml() (the
 * public kv_sim_platform_write_xml() in sim_backend.c wraps them).
 */
#include "sim_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

/* A value must be finite and >= lo (or > lo when strict). */
static kv_status check_field(const kv_platform *p, const char *field, double v,
                             double lo, int strict, const char *unit,
                             kv_error *err) {
  int ok = isfinite(v) && (strict ? v > lo : v >= lo);
  if (ok) return KV_OK;
  return kv_error_set(err, KV_EINVAL,
                      "platform '%s': field '%s' must be %s %g %s (got %g)",
                      p->name, field, strict ? ">" : ">=", lo, unit, v);
}

kv_status kv_sim_platform_check(const kv_platform *p, kv_error *err) {
  if (!p) return kv_error_set(err, KV_EINVAL, "platform is NULL");
  if (p->gpus_per_server < 1 || p->gpus_per_server > 64)
    return kv_error_set(err, KV_EINVAL,
                        "platform '%s': field 'gpus_per_server' must be in "
                        "1..64 (got %u)",
                        p->name, p->gpus_per_server);
  if (p->servers < 1 || p->servers > 4096)
    return kv_error_set(err, KV_EINVAL,
                        "platform '%s': field 'servers' must be in 1..4096 "
                        "(got %u)",
                        p->name, p->servers);
  struct {
    const char *name;
    double v, lo;
    int strict;
    const char *unit;
  } f[] = {
      {"hbm_bw", p->hbm_bw, 0, 1, "B/s"},
      {"d2d_bw", p->d2d_bw, 0, 1, "B/s"},
      {"flops", p->flops, 0, 1, "FLOP/s"},
      {"kernel_launch", p->kernel_launch, 0, 0, "s"},
      {"pcie_bw", p->pcie_bw, 0, 1, "B/s"},
      {"pcie_lat", p->pcie_lat, 0, 0, "s"},
      {"copy_overhead", p->copy_overhead, 0, 0, "s"},
      {"sm_copy_bw_per_sm", p->sm_copy_bw_per_sm, 0, 1, "B/s"},
      {"sm_duplex_bw", p->sm_duplex_bw, 0, 0, "B/s"},
      {"uplink_bw", p->uplink_bw, 0, p->gpus_per_uplink > 0, "B/s"},
      {"host_bw", p->host_bw, 0, 0, "B/s"},
      {"nvlink_bw", p->nvlink_bw, 0, 0, "B/s"},
      {"nvlink_lat", p->nvlink_lat, 0, 0, "s"},
      {"nic_bw", p->nic_bw, 0, 0, "B/s"},
      {"nic_lat", p->nic_lat, 0, 0, "s"},
      {"vmm_reserve", p->vmm_reserve, 0, 0, "s"},
      {"vmm_create", p->vmm_create, 0, 0, "s"},
      {"vmm_map", p->vmm_map, 0, 0, "s"},
      {"vmm_set_access", p->vmm_set_access, 0, 0, "s"},
      {"vmm_unmap", p->vmm_unmap, 0, 0, "s"},
      {"vmm_release", p->vmm_release, 0, 0, "s"},
      {"vmm_reserve_per_mib", p->vmm_reserve_per_mib, 0, 0, "s/MiB"},
      {"vmm_create_per_mib", p->vmm_create_per_mib, 0, 0, "s/MiB"},
      {"vmm_map_per_mib", p->vmm_map_per_mib, 0, 0, "s/MiB"},
      {"vmm_set_access_per_mib", p->vmm_set_access_per_mib, 0, 0, "s/MiB"},
      {"vmm_unmap_per_mib", p->vmm_unmap_per_mib, 0, 0, "s/MiB"},
      {"vmm_release_per_mib", p->vmm_release_per_mib, 0, 0, "s/MiB"},
      {"table_write", p->table_write, 0, 0, "s"},
  };
  for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
    kv_status st =
        check_field(p, f[i].name, f[i].v, f[i].lo, f[i].strict, f[i].unit, err);
    if (st) return st;
  }
  if (p->sms < 1)
    return kv_error_set(err, KV_EINVAL,
                        "platform '%s': field 'sms' must be >= 1 (got 0)",
                        p->name);
  return KV_OK;
}

void kv_sim_dram_name(uint32_t servers, uint32_t s, char *buf, size_t n) {
  if (servers == 1)
    snprintf(buf, n, "host");
  else
    snprintf(buf, n, "host%u", s);
}

static uint32_t add_host(kv_topo *t, const char *name, double speed) {
  kv_topo_host *h = &t->hosts[t->hosts_n];
  snprintf(h->name, sizeof h->name, "%s", name);
  h->speed = speed;
  return (uint32_t)t->hosts_n++;
}

/* Links are created in a fixed order; UINT32_MAX marks "absent". */
static uint32_t add_link(kv_topo *t, const char *name, double bw, double lat,
                         int policy) {
  kv_topo_link *l = &t->links[t->links_n];
  snprintf(l->name, sizeof l->name, "%s", name);
  l->bw = bw;
  l->lat = lat;
  l->policy = policy;
  return (uint32_t)t->links_n++;
}

#define NOLINK UINT32_MAX

/* Append a route from a list of (link, dir) pairs, skipping absent links. */
static void add_route(kv_topo *t, uint32_t src, uint32_t dst,
                      const kv_topo_hop *hops, size_t n) {
  if (t->routes_n == t->routes_cap) {
    t->routes_cap = t->routes_cap ? 2 * t->routes_cap : 64;
    t->routes = kv_xrealloc(t->routes, t->routes_cap * sizeof *t->routes);
  }
  kv_topo_route *r = &t->routes[t->routes_n++];
  r->src = src;
  r->dst = dst;
  r->first_hop = (uint32_t)t->hops_n;
  r->hops_n = 0;
  for (size_t i = 0; i < n; i++) {
    if (hops[i].link == NOLINK) continue;
    if (t->hops_n == t->hops_cap) {
      t->hops_cap = t->hops_cap ? 2 * t->hops_cap : 256;
      t->hops = kv_xrealloc(t->hops, t->hops_cap * sizeof *t->hops);
    }
    t->hops[t->hops_n++] = hops[i];
    r->hops_n++;
  }
}

/* The indices of what kv_sim_topo_build made, per GPU and per server,
 * while it wires the routes (NOLINK where there is none). */
typedef struct topo_ids {
  uint32_t *dram_host, *dram_link, *nic_link, *up_link;      /* per server */
  uint32_t *hbm, *pcie, *sm, *nvlink, *smx, *sm_in, *sm_out; /* per GPU */
} topo_ids;

static void topo_ids_free(topo_ids *x) {
  free(x->dram_host);
  free(x->dram_link);
  free(x->nic_link);
  free(x->up_link);
  free(x->hbm);
  free(x->pcie);
  free(x->sm);
  free(x->smx);
  free(x->sm_in);
  free(x->sm_out);
  free(x->nvlink);
}

/* Each GPU's links: HBM, PCIe, the SM copy kernel's (and its measured rate
 * in and out, and the duplex budget), NVLink. */
static void add_gpu_links(kv_topo *t, const kv_platform *p, uint32_t G,
                          uint32_t gps, uint32_t sms, int nvl, topo_ids *x) {
  char name[sizeof t->hosts[0].name];
  for (uint32_t g = 0; g < G; g++) {
    t->gpus[g].dram = x->dram_host[g / gps];
    snprintf(name, sizeof name, "hbm%u", g);
    x->hbm[g] = add_link(t, name, p->hbm_bw, 0, KV_LINK_SHARED);
    snprintf(name, sizeof name, "pcie%u", g);
    x->pcie[g] =
        add_link(t, name, p->pcie_bw, p->pcie_lat, KV_LINK_SPLITDUPLEX);
    snprintf(name, sizeof name, "sm%u", g);
    x->sm[g] =
        add_link(t, name, sms * p->sm_copy_bw_per_sm, 0, KV_LINK_FATPIPE);
    /* the SM copy kernel's rate to and from the host on `sms` SMs, per
     * direction, when the platform has it measured (below PCIe: zero-copy
     * requests are small), at the largest page measured (smaller pages:
     * sim_backend.c copy_flow scales the flow by the page factor) */
    x->sm_in[g] = x->sm_out[g] = NOLINK;
    if (p->sm_copy_h2d_curve.n) {
      snprintf(name, sizeof name, "sm%u_in", g);
      x->sm_in[g] = add_link(t, name, kv_platform_sm_copy_bw(p, 1, sms, 0), 0,
                             KV_LINK_FATPIPE);
    }
    if (p->sm_copy_d2h_curve.n) {
      snprintf(name, sizeof name, "sm%u_out", g);
      x->sm_out[g] = add_link(t, name, kv_platform_sm_copy_bw(p, 0, sms, 0), 0,
                              KV_LINK_FATPIPE);
    }
    /* SM copies to and from the host share one budget both ways (their
     * small PCIe requests cost the link more than DMA's) */
    x->smx[g] = NOLINK;
    if (p->sm_duplex_bw > 0) {
      snprintf(name, sizeof name, "smx%u", g);
      x->smx[g] = add_link(t, name, p->sm_duplex_bw, 0, KV_LINK_SHARED);
    }
    x->nvlink[g] = NOLINK;
    if (nvl) {
      snprintf(name, sizeof name, "nvlink%u", g);
      x->nvlink[g] =
          add_link(t, name, p->nvlink_bw, p->nvlink_lat, KV_LINK_SPLITDUPLEX);
    }
  }
}

/* Each server's host DRAM, PCIe uplinks and NIC. */
static void add_server_links(kv_topo *t, const kv_platform *p, uint32_t S,
                             uint32_t ups, int nic, topo_ids *x) {
  char name[sizeof t->hosts[0].name];
  for (uint32_t s = 0; s < S; s++) {
    x->dram_link[s] = x->nic_link[s] = NOLINK;
    if (p->host_bw > 0) {
      snprintf(name, sizeof name, "dram%u", s);
      x->dram_link[s] = add_link(t, name, p->host_bw, 0, KV_LINK_SHARED);
    }
    for (uint32_t u = 0; u < ups; u++) {
      snprintf(name, sizeof name, "uplink%u_%u", s, u);
      x->up_link[s * ups + u] =
          add_link(t, name, p->uplink_bw, 0, KV_LINK_SPLITDUPLEX);
    }
    if (nic) {
      snprintf(name, sizeof name, "nic%u", s);
      x->nic_link[s] =
          add_link(t, name, p->nic_bw, p->nic_lat, KV_LINK_SPLITDUPLEX);
    }
  }
}

/* Each GPU's routes: to itself (HBM; through its SMs), to and from host
 * DRAM by DMA and by the SM copy kernel, to its server's other GPUs over
 * NVLink. */
static void add_gpu_routes(kv_topo *t, uint32_t G, uint32_t gps, uint32_t ups,
                           uint32_t per_up, int nvl, const topo_ids *x) {
  for (uint32_t g = 0; g < G; g++) {
    uint32_t s = g / gps, host = t->gpus[g].host, smh = t->gpus[g].sm_host;
    uint32_t dh = x->dram_host[s], dl = x->dram_link[s];
    uint32_t ul = ups ? x->up_link[s * ups + (g % gps) / per_up] : NOLINK;
    kv_topo_hop self[] = {{x->hbm[g], KV_DIR_NONE}};
    add_route(t, host, host, self, 1);
    kv_topo_hop smself[] = {{x->sm[g], KV_DIR_NONE}, {x->hbm[g], KV_DIR_NONE}};
    add_route(t, smh, smh, smself, 2);
    kv_topo_hop h2d[] = {{dl, KV_DIR_NONE},
                         {ul, KV_DIR_DOWN},
                         {x->pcie[g], KV_DIR_DOWN},
                         {x->hbm[g], KV_DIR_NONE}};
    add_route(t, dh, host, h2d, 4);
    kv_topo_hop d2h[] = {{x->hbm[g], KV_DIR_NONE},
                         {x->pcie[g], KV_DIR_UP},
                         {ul, KV_DIR_UP},
                         {dl, KV_DIR_NONE}};
    add_route(t, host, dh, d2h, 4);
    kv_topo_hop h2d_sm[] = {
        {dl, KV_DIR_NONE},          {ul, KV_DIR_DOWN},
        {x->pcie[g], KV_DIR_DOWN},  {x->smx[g], KV_DIR_NONE},
        {x->sm_in[g], KV_DIR_NONE}, {x->sm[g], KV_DIR_NONE},
        {x->hbm[g], KV_DIR_NONE}};
    add_route(t, dh, smh, h2d_sm, 7);
    kv_topo_hop d2h_sm[] = {{x->hbm[g], KV_DIR_NONE},
                            {x->sm[g], KV_DIR_NONE},
                            {x->sm_out[g], KV_DIR_NONE},
                            {x->smx[g], KV_DIR_NONE},
                            {x->pcie[g], KV_DIR_UP},
                            {ul, KV_DIR_UP},
                            {dl, KV_DIR_NONE}};
    add_route(t, smh, dh, d2h_sm, 7);
    if (nvl) {
      uint32_t first = s * gps;
      for (uint32_t h = first; h < first + gps; h++) {
        if (h == g) continue;
        kv_topo_hop gg[] = {{x->hbm[g], KV_DIR_NONE},
                            {x->nvlink[g], KV_DIR_UP},
                            {x->nvlink[h], KV_DIR_DOWN},
                            {x->hbm[h], KV_DIR_NONE}};
        add_route(t, host, t->gpus[h].host, gg, 4);
      }
    }
  }
}

/* Server to server over the NICs (host DRAM at both ends). */
static void add_nic_routes(kv_topo *t, uint32_t S, const topo_ids *x) {
  for (uint32_t s = 0; s < S; s++)
    for (uint32_t u = 0; u < S; u++) {
      if (s == u) continue;
      kv_topo_hop hh[] = {{x->dram_link[s], KV_DIR_NONE},
                          {x->nic_link[s], KV_DIR_UP},
                          {x->nic_link[u], KV_DIR_DOWN},
                          {x->dram_link[u], KV_DIR_NONE}};
      add_route(t, x->dram_host[s], x->dram_host[u], hh, 4);
    }
}

kv_status kv_sim_topo_build(const kv_platform *p, uint32_t sm_copy_sms,
                            kv_topo *t, kv_error *err) {
  memset(t, 0, sizeof *t);
  kv_status st = kv_sim_platform_check(p, err);
  if (st) return st;
  uint32_t gps = p->gpus_per_server, S = p->servers, G = gps * S;
  uint32_t sms = sm_copy_sms ? sm_copy_sms : 8;
  if (sms > p->sms) sms = p->sms;
  uint32_t per_up = p->gpus_per_uplink;
  uint32_t ups = per_up ? KV_DIV_CEIL(gps, per_up) : 0;
  int nvl = gps > 1 && p->nvlink_bw > 0;
  int nic = S > 1 && p->nic_bw > 0;

  t->hosts = kv_xcalloc(2 * G + S, sizeof *t->hosts);
  /* per GPU: hbm, pcie, sm, smx, nvlink, SM caps in and out; per server:
   * dram, nic, uplinks */
  t->links = kv_xcalloc(7 * G + S * (2 + ups), sizeof *t->links);
  t->gpus = kv_xcalloc(G, sizeof *t->gpus);
  t->gpus_n = G;

  char name[sizeof t->hosts[0].name];
  topo_ids x = {.dram_host = kv_xcalloc(S, sizeof *x.dram_host),
                .dram_link = kv_xcalloc(S, sizeof *x.dram_link),
                .nic_link = kv_xcalloc(S, sizeof *x.nic_link),
                .up_link =
                    kv_xcalloc((size_t)S * (ups ? ups : 1), sizeof *x.up_link),
                .hbm = kv_xcalloc(G, sizeof *x.hbm),
                .pcie = kv_xcalloc(G, sizeof *x.pcie),
                .sm = kv_xcalloc(G, sizeof *x.sm),
                .nvlink = kv_xcalloc(G, sizeof *x.nvlink),
                .smx = kv_xcalloc(G, sizeof *x.smx),
                .sm_in = kv_xcalloc(G, sizeof *x.sm_in),
                .sm_out = kv_xcalloc(G, sizeof *x.sm_out)};

  for (uint32_t g = 0; g < G; g++) {
    snprintf(name, sizeof name, "gpu%u", g);
    t->gpus[g].host = add_host(t, name, p->flops);
    snprintf(name, sizeof name, "gpu%u_sm", g);
    t->gpus[g].sm_host = add_host(t, name, p->flops);
    t->gpus[g].server = g / gps;
  }
  for (uint32_t s = 0; s < S; s++) {
    kv_sim_dram_name(S, s, name, sizeof name);
    x.dram_host[s] = add_host(t, name, 1e9);
  }
  add_gpu_links(t, p, G, gps, sms, nvl, &x);
  add_server_links(t, p, S, ups, nic, &x);
  add_gpu_routes(t, G, gps, ups, per_up, nvl, &x);
  if (nic) add_nic_routes(t, S, &x);
  topo_ids_free(&x);
  return KV_OK;
}

void kv_sim_topo_free(kv_topo *t) {
  free(t->hosts);
  free(t->links);
  free(t->hops);
  free(t->routes);
  free(t->gpus);
  memset(t, 0, sizeof *t);
}

int kv_sim_topo_write_xml(const kv_topo *t, const char *title, FILE *f) {
  static const char *const pol[] = {"SHARED", "SPLITDUPLEX", "FATPIPE"};
  static const char *const dir[] = {"NONE", "UP", "DOWN"};
  fprintf(f, "<?xml version='1.0'?>\n"
             "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
             "<platform version=\"4.1\">\n");
  /* XML comments may not contain "--" (nor end in "-"): a platform name is
   * written with each '-' that follows another '-' turned into '_' */
  char safe[128];
  size_t n = 0;
  for (const char *c = title ? title : ""; *c && n + 1 < sizeof safe; c++) {
    char ch = *c;
    if (ch == '-' && n > 0 && safe[n - 1] == '-') ch = '_';
    safe[n++] = ch;
  }
  if (n > 0 && safe[n - 1] == '-') safe[n - 1] = '_';
  safe[n] = '\0';
  fprintf(f,
          "  <!-- kvsim platform '%s': gpuN = GPU (speed = FLOP/s), "
          "gpuN_sm = its SM copy-kernel path, host/hostS = host DRAM -->\n",
          safe);
  fprintf(f, "  <zone id=\"kvsim\" routing=\"Full\">\n");
  for (size_t i = 0; i < t->hosts_n; i++)
    fprintf(f, "    <host id=\"%s\" speed=\"%.17gf\"/>\n", t->hosts[i].name,
            t->hosts[i].speed);
  for (size_t i = 0; i < t->links_n; i++) {
    const kv_topo_link *l = &t->links[i];
    fprintf(f, "    <link id=\"%s\" bandwidth=\"%.17gBps\" latency=\"%.17gs\"",
            l->name, l->bw, l->lat);
    if (l->policy != KV_LINK_SHARED)
      fprintf(f, " sharing_policy=\"%s\"", pol[l->policy]);
    fprintf(f, "/>\n");
  }
  for (size_t i = 0; i < t->routes_n; i++) {
    const kv_topo_route *r = &t->routes[i];
    fprintf(f, "    <route src=\"%s\" dst=\"%s\" symmetrical=\"NO\">",
            t->hosts[r->src].name, t->hosts[r->dst].name);
    for (uint32_t k = 0; k < r->hops_n; k++) {
      const kv_topo_hop *h = &t->hops[r->first_hop + k];
      if (h->dir == KV_DIR_NONE)
        fprintf(f, "<link_ctn id=\"%s\"/>", t->links[h->link].name);
      else
        fprintf(f, "<link_ctn id=\"%s\" direction=\"%s\"/>",
                t->links[h->link].name, dir[h->dir]);
    }
    fprintf(f, "</route>\n");
  }
  fprintf(f, "  </zone>\n</platform>\n");
  return ferror(f) ? -1 : 0;
}
