/* sim_simgrid.cpp - the only file of kvsim that speaks C++ and SimGrid.
 *
 * Starts SimGrid, builds a platform from a kv_topo (or loads a user's XML
 * after checking it in a forked child, since SimGrid aborts on some bad
 * input), spawns actors and runs groups of host-to-host transfers. Every
 * entry point catches C++ exceptions and returns a kv_status, so no
 * exception reaches kvsim's C code (SimGrid's actor-kill exception excepted:
 * it must unwind the actor).
 * Main entry points: kv_simx_init(), kv_simx_build(), kv_simx_flows().
 */
#include "sim_internal.h"

#include <simgrid/Exception.hpp>
#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u.hpp>
#include <simgrid/version.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <poll.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace sg4 = simgrid::s4u;

namespace {
sg4::Engine *engine = nullptr;
std::vector<std::string> argv_store;
std::vector<char *> argv_ptrs;
std::vector<sg4::Host *> hosts;

/* SimGrid's clock as the running actor last read it. The clock moves only
 * while every actor is blocked, so an actor sees one value from its start,
 * or its return from a blocking call (sleep, suspend, transfers), to its
 * next blocking call: each of those places forgets the value (as does
 * kv_simx_run, for reads outside actors). The backend reads the clock a few
 * times a step, and sg4::Engine::get_clock() is a call chain of its own. */
double clock_now = 0;
bool clock_known = false;

void clock_forget() {
  clock_known = false;
}

int host_index(sg4::Host *h) {
  for (size_t i = 0; i < hosts.size(); i++)
    if (hosts[i] == h) return (int)i;
  hosts.push_back(h);
  return (int)hosts.size() - 1;
}

std::string host_list() {
  std::string s;
  if (!engine) return s;
  std::vector<sg4::Host *> all = engine->get_all_hosts();
  std::sort(all.begin(), all.end(), [](sg4::Host *a, sg4::Host *b) {
    return a->get_name() < b->get_name();
  });
  size_t shown = 0;
  for (sg4::Host *h : all) {
    if (shown == 24) {
      s += ", ...";
      break;
    }
    if (!s.empty()) s += ", ";
    s += h->get_name();
    shown++;
  }
  return s.empty() ? std::string("none") : s;
}

kv_status start_engine(const char *const *items, size_t n, kv_error *err) {
  argv_store.clear();
  argv_store.emplace_back("kvsim");
  for (size_t i = 0; i < n; i++)
    argv_store.emplace_back(items[i]);
  argv_ptrs.clear();
  for (auto &s : argv_store)
    argv_ptrs.push_back(&s[0]);
  argv_ptrs.push_back(nullptr);
  int argc = (int)argv_store.size();
  try {
    engine = new sg4::Engine(&argc, argv_ptrs.data());
  } catch (const std::exception &e) {
    return kv_error_set(err, KV_EBACKEND, "SimGrid refused its options: %s",
                        e.what());
  }
  if (argc > 1)
    return kv_error_set(err, KV_EINVAL,
                        "SimGrid did not understand option '%s'", argv_ptrs[1]);
  return KV_OK;
}

/* Route check used by the XML validation child; throws on a missing
 * route (or SimGrid aborts, which the parent sees as a signal). */
std::string check_route(sg4::Host *a, sg4::Host *b, bool self) {
  std::vector<sg4::Link *> links;
  double lat = 0;
  a->route_to(b, links, &lat);
  bool loop = links.empty();
  for (sg4::Link *l : links)
    if (l->get_name() == "__loopback__") loop = true;
  if (self && loop)
    return "no explicit self-route '" + a->get_name() + "' -> '" +
           a->get_name() +
           "' (device copies and compute traffic need the GPU's HBM link; "
           "SimGrid would use a 10 GB/s loopback or nothing)";
  if (links.empty())
    return "no route from '" + a->get_name() + "' to '" + b->get_name() + "'";
  return "";
}
} // namespace

extern "C" {

int kv_simx_started(void) {
  return engine != nullptr;
}

kv_status kv_simx_init(const char *const *items, size_t n, kv_error *err) {
  if (engine)
    return kv_error_set(err, KV_EINVAL,
                        "SimGrid already runs in this process (one "
                        "simulation per process: use kv_sweep_run)");
  return start_engine(items, n, err);
}

kv_status kv_simx_build(const kv_topo *t, kv_error *err) {
  try {
    sg4::NetZone *z = sg4::create_full_zone("kvsim");
    hosts.clear();
    for (size_t i = 0; i < t->hosts_n; i++)
      hosts.push_back(z->create_host(t->hosts[i].name, t->hosts[i].speed));
    std::vector<sg4::Link *> links;
    for (size_t i = 0; i < t->links_n; i++) {
      const kv_topo_link &l = t->links[i];
      sg4::Link *lk;
      if (l.policy == KV_LINK_SPLITDUPLEX)
        lk = z->create_split_duplex_link(l.name, l.bw);
      else
        lk = z->create_link(l.name, l.bw);
      lk->set_latency(l.lat);
      if (l.policy == KV_LINK_FATPIPE)
        lk->set_sharing_policy(sg4::Link::SharingPolicy::FATPIPE);
      links.push_back(lk);
    }
    for (size_t i = 0; i < t->routes_n; i++) {
      const kv_topo_route &r = t->routes[i];
      std::vector<sg4::LinkInRoute> lr;
      for (uint32_t k = 0; k < r.hops_n; k++) {
        const kv_topo_hop &h = t->hops[r.first_hop + k];
        auto d = h.dir == KV_DIR_UP     ? sg4::LinkInRoute::Direction::UP
                 : h.dir == KV_DIR_DOWN ? sg4::LinkInRoute::Direction::DOWN
                                        : sg4::LinkInRoute::Direction::NONE;
        lr.emplace_back(links[h.link], d);
      }
      z->add_route(hosts[r.src]->get_netpoint(), hosts[r.dst]->get_netpoint(),
                   nullptr, nullptr, lr, false);
    }
    z->seal();
  } catch (const std::exception &e) {
    return kv_error_set(err, KV_EBACKEND,
                        "SimGrid could not build the platform: %s", e.what());
  }
  return KV_OK;
}

kv_status kv_simx_check_xml(const char *path, const char *gpu_host,
                            const char *const *items, size_t n, kv_error *err) {
  int out[2];
  if (pipe(out) != 0)
    return kv_error_set(err, KV_EIO, "pipe: %s", strerror(errno));
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    close(out[0]);
    close(out[1]);
    return kv_error_set(err, KV_EIO, "fork: %s", strerror(errno));
  }
  if (pid == 0) {
    /* child: SimGrid's messages and our verdict both go to the pipe; the
     * verdict is the last line, prefixed "kvsim:". */
    close(out[0]);
    dup2(out[1], 2);
    std::string verdict;
    kv_error e;
    if (start_engine(items, n, &e) != KV_OK) {
      verdict = e.msg;
    } else if (path) {
      try {
        engine->load_platform(path);
        sg4::Host *g = engine->host_by_name_or_null(gpu_host);
        sg4::Host *h = engine->host_by_name_or_null("host");
        if (!g || !h) {
          verdict = std::string("platform file '") + path + "' has no host '" +
                    (!g ? gpu_host : "host") + "' (" +
                    (!g ? "the GPU this replica runs on"
                        : "host DRAM, the end of every H2D/D2H copy") +
                    "); hosts: " + host_list();
        } else {
          verdict = check_route(g, h, false);
          if (verdict.empty()) verdict = check_route(h, g, false);
          if (verdict.empty()) verdict = check_route(g, g, true);
        }
      } catch (const std::exception &ex) {
        verdict =
            std::string("SimGrid could not load '") + path + "': " + ex.what();
      }
    }
    std::string line = "\nkvsim:" + (verdict.empty() ? "OK" : verdict) + "\n";
    ssize_t w = write(out[1], line.data(), line.size());
    (void)w;
    _exit(verdict.empty() ? 0 : 1);
  }
  close(out[1]);
  std::string buf;
  char tmp[4096];
  for (;;) {
    ssize_t r = read(out[0], tmp, sizeof tmp);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    buf.append(tmp, (size_t)r);
  }
  close(out[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  size_t k = buf.rfind("\nkvsim:");
  const char *what = path ? path : "(options only)";
  if (k != std::string::npos) {
    std::string v = buf.substr(k + 7);
    while (!v.empty() && v.back() == '\n')
      v.pop_back();
    if (v == "OK" && WIFEXITED(status) && WEXITSTATUS(status) == 0)
      return KV_OK;
    kv_status code = v.find("has no host") != std::string::npos ? KV_ENOTFOUND
                     : v.find("no route") != std::string::npos ||
                             v.find("self-route") != std::string::npos
                         ? KV_EINVAL
                     : v.find("could not load") != std::string::npos
                         ? KV_EPARSE
                         : KV_EBACKEND;
    return kv_error_set(err, code, "%s", v.c_str());
  }
  /* The child died inside SimGrid: quote its last message line. */
  std::string last;
  size_t end = buf.find_last_not_of("\n ");
  if (end != std::string::npos) {
    size_t start = buf.rfind('\n', end);
    last = buf.substr(start == std::string::npos ? 0 : start + 1,
                      end - (start == std::string::npos ? 0 : start + 1) + 1);
  }
  if (last.size() > 600) last = last.substr(last.size() - 600);
  if (WIFSIGNALED(status))
    return kv_error_set(err, KV_EPARSE,
                        "SimGrid aborted (signal %d, %s) while checking "
                        "platform '%s': %s",
                        WTERMSIG(status), strsignal(WTERMSIG(status)), what,
                        last.empty() ? "no message" : last.c_str());
  return kv_error_set(err, KV_EPARSE,
                      "SimGrid failed while checking platform '%s': %s", what,
                      last.empty() ? "no message" : last.c_str());
}

kv_status kv_simx_load(const char *path, kv_error *err) {
  try {
    engine->load_platform(path);
  } catch (const std::exception &e) {
    return kv_error_set(err, KV_EPARSE, "SimGrid could not load '%s': %s", path,
                        e.what());
  }
  return KV_OK;
}

int kv_simx_host(const char *name) {
  if (!engine) return -1;
  sg4::Host *h = engine->host_by_name_or_null(name);
  return h ? host_index(h) : -1;
}

kv_status kv_simx_route(int src, int dst, double *lat, double *bw,
                        kv_error *err) {
  try {
    std::vector<sg4::Link *> links;
    double l = 0;
    hosts[(size_t)src]->route_to(hosts[(size_t)dst], links, &l);
    double b = 1e300;
    for (sg4::Link *lk : links)
      b = std::min(b, lk->get_bandwidth());
    if (links.empty())
      return kv_error_set(err, KV_EINVAL, "no route from '%s' to '%s'",
                          hosts[(size_t)src]->get_cname(),
                          hosts[(size_t)dst]->get_cname());
    *lat = l;
    *bw = b;
  } catch (const std::exception &e) {
    return kv_error_set(err, KV_EBACKEND, "route lookup failed: %s", e.what());
  }
  return KV_OK;
}

kv_status kv_simx_spawn(int host, const char *name, void (*fn)(void *),
                        void *arg, kv_error *err) {
  try {
    sg4::Actor::create(name, hosts[(size_t)host], [fn, arg] {
      clock_forget();
      fn(arg);
    });
  } catch (const std::exception &e) {
    return kv_error_set(err, KV_EBACKEND, "could not start actor '%s': %s",
                        name, e.what());
  }
  return KV_OK;
}

kv_status kv_simx_run(kv_error *err) {
  clock_forget();
  try {
    engine->run();
  } catch (const std::exception &e) {
    clock_forget();
    return kv_error_set(err, KV_EBACKEND, "simulation failed: %s", e.what());
  }
  clock_forget();
  return KV_OK;
}

double kv_simx_clock(void) {
  if (!clock_known) {
    clock_now = sg4::Engine::get_clock();
    clock_known = true;
  }
  return clock_now;
}

kv_status kv_simx_sleep(double dt, kv_error *err) {
  if (!(dt > 0)) return KV_OK;
  try {
    sg4::this_actor::sleep_for(dt);
    clock_forget();
  } catch (const simgrid::ForcefulKillException &) {
    throw;
  } catch (const std::exception &e) {
    clock_forget();
    return kv_error_set(err, KV_EBACKEND, "sleep failed: %s", e.what());
  }
  return KV_OK;
}

kv_status kv_simx_sleep_timer(double dt, kv_error *err) {
  if (!(dt > 0)) return KV_OK;
  try {
    sg4::Actor *self = sg4::Actor::self();
    double date = sg4::Engine::get_clock() + dt;
    simgrid::kernel::timer::Timer::set(date, [self] { self->resume(); });
    sg4::this_actor::suspend();
    clock_forget();
  } catch (const simgrid::ForcefulKillException &) {
    throw;
  } catch (const std::exception &e) {
    clock_forget();
    return kv_error_set(err, KV_EBACKEND, "sleep failed: %s", e.what());
  }
  return KV_OK;
}

kv_status kv_simx_flows(kv_simx_flow *f, size_t n, kv_error *err) {
  if (n == 0) return KV_OK;
  try {
    double t0 = sg4::Engine::get_clock();
    std::vector<size_t> order(n);
    for (size_t i = 0; i < n; i++)
      order[i] = i;
    std::stable_sort(order.begin(), order.end(), [f](size_t a, size_t b) {
      return f[a].delay < f[b].delay;
    });
    std::vector<sg4::CommPtr> comms(n);
    for (size_t k = 0; k < n; k++) {
      size_t i = order[k];
      double ahead = f[i].delay - (sg4::Engine::get_clock() - t0);
      if (ahead > 0) sg4::this_actor::sleep_for(ahead);
      comms[i] = sg4::Comm::sendto_async(hosts[(size_t)f[i].src],
                                         hosts[(size_t)f[i].dst],
                                         (uint64_t)(f[i].bytes + 0.5));
    }
    sg4::Comm::wait_all(comms);
    clock_forget();
    for (size_t i = 0; i < n; i++)
      f[i].finish = comms[i]->get_finish_time() - t0;
  } catch (const simgrid::ForcefulKillException &) {
    throw;
  } catch (const std::exception &e) {
    clock_forget();
    return kv_error_set(err, KV_EBACKEND, "transfer failed: %s", e.what());
  }
  return KV_OK;
}

void kv_simx_version(char *buf, size_t n) {
  int a = 0, b = 0, c = 0;
  sg_version_get(&a, &b, &c);
  snprintf(buf, n, "%d.%d.%d", a, b, c);
}

} // extern "C"
