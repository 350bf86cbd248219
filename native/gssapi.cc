// acsys_gssapi: a minimal N-API binding of MIT Kerberos GSS-API for acsys-rx.
//
// Initiator side (the DPM client): default credentials from the ccache, init_sec_context for a
// Kerberos principal name, get_mic. Acceptor side (the DPM simulator): accept_sec_context with the
// keytab, the source (client) name, verify_mic.
//
// Calls that can reach the KDC or read files (credential acquisition, init/accept) run on the libuv
// pool (Napi::AsyncWorker) and return Promises. MIT keeps the detailed minor-status text per
// thread, so every error message is formatted inside the worker's Execute (see
// shared/spec/kerberos-testing.md section 6).
//
// Errors are JS Error objects with `major`, `minor`, `call` and a message
// "<call> failed: <major text> (<minor text>)".

#include <napi.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>

#include <cstdint>
#include <string>
#include <vector>

namespace {

// ---------------------------------------------------------------------------------------------
// Status formatting

std::string DisplayStatus(OM_uint32 code, int type) {
  std::string out;
  OM_uint32 msgCtx = 0;
  do {
    OM_uint32 minor = 0;
    gss_buffer_desc buf = GSS_C_EMPTY_BUFFER;
    OM_uint32 major = gss_display_status(&minor, code, type, GSS_C_NO_OID, &msgCtx, &buf);
    if (GSS_ERROR(major)) break;
    if (!out.empty()) out += "; ";
    out.append(static_cast<const char*>(buf.value), buf.length);
    gss_release_buffer(&minor, &buf);
  } while (msgCtx != 0);
  return out;
}

struct GssFailure {
  bool failed = false;
  std::string call;
  OM_uint32 major = 0;
  OM_uint32 minor = 0;
  std::string message;

  void Set(const char* c, OM_uint32 maj, OM_uint32 min) {
    failed = true;
    call = c;
    major = maj;
    minor = min;
    std::string majorText = DisplayStatus(maj, GSS_C_GSS_CODE);
    std::string minorText = min != 0 ? DisplayStatus(min, GSS_C_MECH_CODE) : std::string();
    message = call + " failed: " + majorText;
    if (!minorText.empty() && minorText != "Success") message += " (" + minorText + ")";
  }
  void SetPlain(const char* c, const std::string& text) {
    failed = true;
    call = c;
    major = GSS_S_FAILURE;
    minor = 0;
    message = call + " failed: " + text;
  }

  Napi::Error ToError(Napi::Env env) const {
    Napi::Error err = Napi::Error::New(env, message);
    err.Set("major", Napi::Number::New(env, static_cast<double>(major)));
    err.Set("minor", Napi::Number::New(env, static_cast<double>(minor)));
    err.Set("call", Napi::String::New(env, call));
    return err;
  }
};

std::string NameToString(gss_name_t name, GssFailure* fail) {
  if (name == GSS_C_NO_NAME) return std::string();
  OM_uint32 minor = 0;
  gss_buffer_desc buf = GSS_C_EMPTY_BUFFER;
  OM_uint32 major = gss_display_name(&minor, name, &buf, nullptr);
  if (GSS_ERROR(major)) {
    if (fail != nullptr) fail->Set("gss_display_name", major, minor);
    return std::string();
  }
  std::string s(static_cast<const char*>(buf.value), buf.length);
  gss_release_buffer(&minor, &buf);
  return s;
}

double Lifetime(OM_uint32 t) {
  // GSS_C_INDEFINITE is reported as -1; the TypeScript layer maps it to Infinity.
  return t == GSS_C_INDEFINITE ? -1.0 : static_cast<double>(t);
}

// ---------------------------------------------------------------------------------------------
// Credential store (MIT gss_acquire_cred_from): optional explicit ccache / keytab / client keytab
// / replay-cache, so a process can use several realms or keytabs without touching the environment.

struct CredStore {
  std::vector<std::pair<std::string, std::string>> entries;

  static CredStore FromValue(const Napi::Value& v) {
    CredStore s;
    if (!v.IsObject()) return s;
    Napi::Object o = v.As<Napi::Object>();
    static const char* const keys[][2] = {
        {"ccache", "ccache"}, {"keytab", "keytab"}, {"clientKeytab", "client_keytab"}, {"rcache", "rcache"}};
    for (const auto& k : keys) {
      Napi::Value e = o.Get(k[0]);
      if (e.IsString()) s.entries.emplace_back(k[1], e.As<Napi::String>().Utf8Value());
    }
    return s;
  }
  bool Empty() const { return entries.empty(); }

  // Acquires a credential for `usage`; returns false and fills `fail` on error.
  bool Acquire(gss_cred_usage_t usage, gss_name_t desired, gss_cred_id_t* cred, OM_uint32* lifetime,
               GssFailure* fail) const {
    OM_uint32 minor = 0;
    gss_OID_set_desc mechs = {1, gss_mech_krb5};
    OM_uint32 major;
    if (entries.empty()) {
      major = gss_acquire_cred(&minor, desired, GSS_C_INDEFINITE, &mechs, usage, cred, nullptr, lifetime);
    } else {
      std::vector<gss_key_value_element_desc> els;
      for (const auto& e : entries) els.push_back({e.first.c_str(), e.second.c_str()});
      gss_key_value_set_desc set = {static_cast<OM_uint32>(els.size()), els.data()};
      major = gss_acquire_cred_from(&minor, desired, GSS_C_INDEFINITE, &mechs, usage, &set, cred, nullptr,
                                    lifetime);
    }
    if (GSS_ERROR(major)) {
      fail->Set(entries.empty() ? "gss_acquire_cred" : "gss_acquire_cred_from", major, minor);
      *cred = GSS_C_NO_CREDENTIAL;
      return false;
    }
    return true;
  }
};

void ReleaseCred(gss_cred_id_t* cred) {
  if (*cred != GSS_C_NO_CREDENTIAL) {
    OM_uint32 minor = 0;
    gss_release_cred(&minor, cred);
  }
}

void ReleaseName(gss_name_t* name) {
  if (*name != GSS_C_NO_NAME) {
    OM_uint32 minor = 0;
    gss_release_name(&minor, name);
  }
}

// ---------------------------------------------------------------------------------------------
// SecurityContext: a wrapped gss_ctx_id_t, freed by dispose() or the finalizer.

class SecurityContext : public Napi::ObjectWrap<SecurityContext> {
 public:
  static Napi::Function Init(Napi::Env env) {
    return DefineClass(env, "SecurityContext",
                       {InstanceMethod("dispose", &SecurityContext::Dispose),
                        InstanceAccessor("disposed", &SecurityContext::Disposed, nullptr),
                        InstanceAccessor("initiator", &SecurityContext::Initiator, nullptr)});
  }

  explicit SecurityContext(const Napi::CallbackInfo& info) : Napi::ObjectWrap<SecurityContext>(info) {}
  ~SecurityContext() override { Free(); }

  void Free() {
    if (handle != GSS_C_NO_CONTEXT) {
      OM_uint32 minor = 0;
      gss_delete_sec_context(&minor, &handle, GSS_C_NO_BUFFER);
      handle = GSS_C_NO_CONTEXT;
    }
  }

  // Throws unless the context is usable now (not disposed, no async step in flight).
  void Check(Napi::Env env, bool needHandle) const {
    if (disposed) throw Napi::Error::New(env, "security context has been disposed");
    if (busy) throw Napi::Error::New(env, "security context is busy with another call");
    if (needHandle && handle == GSS_C_NO_CONTEXT) throw Napi::Error::New(env, "security context is empty");
  }

  gss_ctx_id_t handle = GSS_C_NO_CONTEXT;
  bool disposed = false;
  bool busy = false;
  bool isInitiator = false;

 private:
  Napi::Value Dispose(const Napi::CallbackInfo& info) {
    if (busy) throw Napi::Error::New(info.Env(), "cannot dispose a security context while a call is in flight");
    Free();
    disposed = true;
    return info.Env().Undefined();
  }
  Napi::Value Disposed(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), disposed); }
  Napi::Value Initiator(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), isInitiator); }
};

struct AddonData {
  Napi::FunctionReference contextCtor;
};

SecurityContext* UnwrapContext(Napi::Env env, const Napi::Value& v) {
  if (!v.IsObject()) return nullptr;
  Napi::Object o = v.As<Napi::Object>();
  AddonData* data = env.GetInstanceData<AddonData>();
  if (!o.InstanceOf(data->contextCtor.Value())) return nullptr;
  return SecurityContext::Unwrap(o);
}

std::vector<uint8_t> BytesArg(const Napi::Value& v, const char* what) {
  if (v.IsBuffer()) {
    auto b = v.As<Napi::Buffer<uint8_t>>();
    return std::vector<uint8_t>(b.Data(), b.Data() + b.Length());
  }
  if (v.IsTypedArray()) {
    auto t = v.As<Napi::TypedArray>();
    if (t.TypedArrayType() == napi_uint8_array) {
      auto u = v.As<Napi::Uint8Array>();
      return std::vector<uint8_t>(u.Data(), u.Data() + u.ElementLength());
    }
  }
  throw Napi::TypeError::New(v.Env(), std::string(what) + " must be a Uint8Array");
}

Napi::Buffer<uint8_t> ToBuffer(Napi::Env env, const std::vector<uint8_t>& bytes) {
  return Napi::Buffer<uint8_t>::Copy(env, bytes.data(), bytes.size());
}

// ---------------------------------------------------------------------------------------------
// Promise-returning worker base.

class PromiseWorker : public Napi::AsyncWorker {
 public:
  explicit PromiseWorker(Napi::Env env) : Napi::AsyncWorker(env), deferred(Napi::Promise::Deferred::New(env)) {}
  Napi::Promise Promise() { return deferred.Promise(); }

 protected:
  void Fail(const GssFailure& f) {
    failure = f;
    SetError(f.message);
  }
  void OnError(const Napi::Error&) override {
    Napi::HandleScope scope(Env());
    Release();
    deferred.Reject(failure.ToError(Env()).Value());
  }
  void OnOK() override {
    Napi::HandleScope scope(Env());
    Release();
    deferred.Resolve(Result());
  }
  virtual Napi::Value Result() = 0;
  virtual void Release() {}

  Napi::Promise::Deferred deferred;
  GssFailure failure;
};

// credentials(store?, usage) -> { name, lifetime }
class CredentialsWorker : public PromiseWorker {
 public:
  CredentialsWorker(Napi::Env env, CredStore store, gss_cred_usage_t usage, std::string desired)
      : PromiseWorker(env), store_(std::move(store)), usage_(usage), desired_(std::move(desired)) {}

  void Execute() override {
    GssFailure f;
    gss_name_t desired = GSS_C_NO_NAME;
    if (!desired_.empty()) {
      OM_uint32 minor = 0;
      gss_buffer_desc b = {desired_.size(), const_cast<char*>(desired_.data())};
      OM_uint32 major = gss_import_name(&minor, &b, GSS_KRB5_NT_PRINCIPAL_NAME, &desired);
      if (GSS_ERROR(major)) {
        f.Set("gss_import_name", major, minor);
        return Fail(f);
      }
    }
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    bool ok = store_.Acquire(usage_, desired, &cred, nullptr, &f);
    ReleaseName(&desired);
    if (!ok) return Fail(f);
    OM_uint32 minor = 0;
    gss_name_t name = GSS_C_NO_NAME;
    OM_uint32 lifetime = 0;
    OM_uint32 major = gss_inquire_cred(&minor, cred, &name, &lifetime, nullptr, nullptr);
    if (GSS_ERROR(major)) {
      f.Set("gss_inquire_cred", major, minor);
      ReleaseCred(&cred);
      return Fail(f);
    }
    name_ = NameToString(name, &f);
    ReleaseName(&name);
    ReleaseCred(&cred);
    if (f.failed) return Fail(f);
    lifetime_ = Lifetime(lifetime);
  }

  Napi::Value Result() override {
    Napi::Object o = Napi::Object::New(Env());
    o.Set("name", Napi::String::New(Env(), name_));
    o.Set("lifetime", Napi::Number::New(Env(), lifetime_));
    return o;
  }

 private:
  CredStore store_;
  gss_cred_usage_t usage_;
  std::string desired_;
  std::string name_;
  double lifetime_ = 0;
};

// Shared by init and accept: one step of context establishment.
class StepWorker : public PromiseWorker {
 public:
  StepWorker(Napi::Env env, Napi::Object ctxObj, SecurityContext* ctx, bool created, CredStore store,
             std::vector<uint8_t> input)
      : PromiseWorker(env), ctx_(ctx), created_(created), store_(std::move(store)), input_(std::move(input)) {
    ctxRef_ = Napi::Persistent(ctxObj);
    ctx_->busy = true;
  }

 protected:
  void Release() override {
    ctx_->busy = false;
    if (failure.failed && created_) {
      // A failed first step frees the context at once.
      ctx_->Free();
      ctx_->disposed = true;
    }
  }

  Napi::Value Result() override {
    Napi::Object o = Napi::Object::New(Env());
    o.Set("context", ctxRef_.Value());
    o.Set("token", ToBuffer(Env(), output_));
    o.Set("complete", Napi::Boolean::New(Env(), complete_));
    o.Set("flags", Napi::Number::New(Env(), static_cast<double>(flags_)));
    o.Set("lifetime", Napi::Number::New(Env(), lifetime_));
    if (hasPeer_) o.Set("peer", Napi::String::New(Env(), peer_));
    return o;
  }

  void TakeOutput(gss_buffer_desc* out) {
    OM_uint32 minor = 0;
    if (out->length > 0 && out->value != nullptr) {
      const uint8_t* p = static_cast<const uint8_t*>(out->value);
      output_.assign(p, p + out->length);
    }
    gss_release_buffer(&minor, out);
  }

  SecurityContext* ctx_;
  Napi::ObjectReference ctxRef_;
  bool created_;
  CredStore store_;
  std::vector<uint8_t> input_;
  std::vector<uint8_t> output_;
  bool complete_ = false;
  OM_uint32 flags_ = 0;
  double lifetime_ = 0;
  bool hasPeer_ = false;
  std::string peer_;
};

class InitWorker : public StepWorker {
 public:
  InitWorker(Napi::Env env, Napi::Object ctxObj, SecurityContext* ctx, bool created, CredStore store,
             std::vector<uint8_t> input, std::string target, OM_uint32 reqFlags)
      : StepWorker(env, ctxObj, ctx, created, std::move(store), std::move(input)),
        target_(std::move(target)),
        reqFlags_(reqFlags) {}

  void Execute() override {
    GssFailure f;
    OM_uint32 minor = 0;
    gss_name_t target = GSS_C_NO_NAME;
    gss_buffer_desc nameBuf = {target_.size(), const_cast<char*>(target_.data())};
    OM_uint32 major = gss_import_name(&minor, &nameBuf, GSS_KRB5_NT_PRINCIPAL_NAME, &target);
    if (GSS_ERROR(major)) {
      f.Set("gss_import_name", major, minor);
      return Fail(f);
    }
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    if (!store_.Empty() && !store_.Acquire(GSS_C_INITIATE, GSS_C_NO_NAME, &cred, nullptr, &f)) {
      ReleaseName(&target);
      return Fail(f);
    }
    gss_buffer_desc in = {input_.size(), input_.empty() ? nullptr : input_.data()};
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    OM_uint32 retFlags = 0, timeRec = 0;
    major = gss_init_sec_context(&minor, cred, &ctx_->handle, target, gss_mech_krb5, reqFlags_, GSS_C_INDEFINITE,
                                 GSS_C_NO_CHANNEL_BINDINGS, input_.empty() ? GSS_C_NO_BUFFER : &in, nullptr,
                                 &out, &retFlags, &timeRec);
    ReleaseName(&target);
    ReleaseCred(&cred);
    TakeOutput(&out);
    if (GSS_ERROR(major)) {
      f.Set("gss_init_sec_context", major, minor);
      return Fail(f);
    }
    complete_ = !(major & GSS_S_CONTINUE_NEEDED);
    flags_ = retFlags;
    lifetime_ = Lifetime(timeRec);
  }

 private:
  std::string target_;
  OM_uint32 reqFlags_;
};

class AcceptWorker : public StepWorker {
 public:
  using StepWorker::StepWorker;

  void Execute() override {
    GssFailure f;
    OM_uint32 minor = 0;
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    if (!store_.Empty() && !store_.Acquire(GSS_C_ACCEPT, GSS_C_NO_NAME, &cred, nullptr, &f)) return Fail(f);
    gss_buffer_desc in = {input_.size(), input_.empty() ? nullptr : input_.data()};
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    gss_name_t src = GSS_C_NO_NAME;
    OM_uint32 retFlags = 0, timeRec = 0;
    OM_uint32 major = gss_accept_sec_context(&minor, &ctx_->handle, cred, &in, GSS_C_NO_CHANNEL_BINDINGS, &src,
                                             nullptr, &out, &retFlags, &timeRec, nullptr);
    ReleaseCred(&cred);
    TakeOutput(&out);
    if (GSS_ERROR(major)) {
      ReleaseName(&src);
      f.Set("gss_accept_sec_context", major, minor);
      return Fail(f);
    }
    complete_ = !(major & GSS_S_CONTINUE_NEEDED);
    flags_ = retFlags;
    lifetime_ = Lifetime(timeRec);
    if (src != GSS_C_NO_NAME) {
      peer_ = NameToString(src, &f);
      hasPeer_ = !f.failed;
      ReleaseName(&src);
      if (f.failed) return Fail(f);
    }
  }
};

// Resolves the context argument of init/accept: null/undefined creates a new context.
Napi::Object ContextForStep(Napi::Env env, const Napi::Value& v, bool initiator, SecurityContext** out,
                            bool* created) {
  if (v.IsNull() || v.IsUndefined()) {
    AddonData* data = env.GetInstanceData<AddonData>();
    Napi::Object obj = data->contextCtor.New({});
    *out = SecurityContext::Unwrap(obj);
    (*out)->isInitiator = initiator;
    *created = true;
    return obj;
  }
  SecurityContext* ctx = UnwrapContext(env, v);
  if (ctx == nullptr) throw Napi::TypeError::New(env, "context must be a SecurityContext or null");
  ctx->Check(env, true);
  if (ctx->isInitiator != initiator)
    throw Napi::TypeError::New(env, initiator ? "context is an acceptor context" : "context is an initiator context");
  *out = ctx;
  *created = false;
  return v.As<Napi::Object>();
}

// credentials(usage: 'initiate' | 'accept', store?: object, principal?: string): Promise<{name, lifetime}>
Napi::Value Credentials(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string usage = info.Length() > 0 && info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "initiate";
  gss_cred_usage_t u;
  if (usage == "initiate") u = GSS_C_INITIATE;
  else if (usage == "accept") u = GSS_C_ACCEPT;
  else throw Napi::TypeError::New(env, "usage must be 'initiate' or 'accept'");
  CredStore store = info.Length() > 1 ? CredStore::FromValue(info[1]) : CredStore();
  std::string desired = info.Length() > 2 && info[2].IsString() ? info[2].As<Napi::String>().Utf8Value() : "";
  auto* w = new CredentialsWorker(env, std::move(store), u, desired);
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

// initSecContext(ctx | null, target: string, flags: number, inToken: Uint8Array | null, store?): Promise<step>
Napi::Value InitSecContext(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[1].IsString() || !info[2].IsNumber())
    throw Napi::TypeError::New(env, "initSecContext(context, target, flags, inToken?, store?)");
  SecurityContext* ctx = nullptr;
  bool created = false;
  Napi::Object obj = ContextForStep(env, info[0], true, &ctx, &created);
  std::vector<uint8_t> input;
  if (info.Length() > 3 && !info[3].IsNull() && !info[3].IsUndefined()) input = BytesArg(info[3], "inToken");
  CredStore store = info.Length() > 4 ? CredStore::FromValue(info[4]) : CredStore();
  auto* w = new InitWorker(env, obj, ctx, created, std::move(store), std::move(input),
                           info[1].As<Napi::String>().Utf8Value(), info[2].As<Napi::Number>().Uint32Value());
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

// acceptSecContext(ctx | null, inToken: Uint8Array, store?): Promise<step & { peer }>
Napi::Value AcceptSecContext(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2) throw Napi::TypeError::New(env, "acceptSecContext(context, inToken, store?)");
  std::vector<uint8_t> input = BytesArg(info[1], "inToken");
  SecurityContext* ctx = nullptr;
  bool created = false;
  Napi::Object obj = ContextForStep(env, info[0], false, &ctx, &created);
  CredStore store = info.Length() > 2 ? CredStore::FromValue(info[2]) : CredStore();
  auto* w = new AcceptWorker(env, obj, ctx, created, std::move(store), std::move(input));
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

SecurityContext* ContextArg(const Napi::CallbackInfo& info) {
  SecurityContext* ctx = info.Length() > 0 ? UnwrapContext(info.Env(), info[0]) : nullptr;
  if (ctx == nullptr) throw Napi::TypeError::New(info.Env(), "context must be a SecurityContext");
  ctx->Check(info.Env(), true);
  return ctx;
}

// getMic(ctx, message): Buffer
Napi::Value GetMic(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  SecurityContext* ctx = ContextArg(info);
  std::vector<uint8_t> msg = BytesArg(info[1], "message");
  OM_uint32 minor = 0;
  gss_buffer_desc in = {msg.size(), msg.empty() ? nullptr : msg.data()};
  gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
  OM_uint32 major = gss_get_mic(&minor, ctx->handle, GSS_C_QOP_DEFAULT, &in, &out);
  if (GSS_ERROR(major)) {
    GssFailure f;
    f.Set("gss_get_mic", major, minor);
    throw f.ToError(env);
  }
  Napi::Buffer<uint8_t> b = Napi::Buffer<uint8_t>::Copy(env, static_cast<const uint8_t*>(out.value), out.length);
  gss_release_buffer(&minor, &out);
  return b;
}

// verifyMic(ctx, message, mic): { supplementary } ; throws on GSS_ERROR(major)
Napi::Value VerifyMic(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  SecurityContext* ctx = ContextArg(info);
  std::vector<uint8_t> msg = BytesArg(info[1], "message");
  std::vector<uint8_t> mic = BytesArg(info[2], "mic");
  OM_uint32 minor = 0;
  gss_buffer_desc m = {msg.size(), msg.empty() ? nullptr : msg.data()};
  gss_buffer_desc t = {mic.size(), mic.empty() ? nullptr : mic.data()};
  gss_qop_t qop = 0;
  OM_uint32 major = gss_verify_mic(&minor, ctx->handle, &m, &t, &qop);
  if (GSS_ERROR(major)) {
    GssFailure f;
    f.Set("gss_verify_mic", major, minor);
    throw f.ToError(env);
  }
  Napi::Object o = Napi::Object::New(env);
  o.Set("supplementary", Napi::Number::New(env, static_cast<double>(GSS_SUPPLEMENTARY_INFO(major))));
  return o;
}

// inquireContext(ctx): { source, target, lifetime, flags, open, initiator }
Napi::Value InquireContext(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  SecurityContext* ctx = ContextArg(info);
  OM_uint32 minor = 0, lifetime = 0, flags = 0;
  gss_name_t src = GSS_C_NO_NAME, targ = GSS_C_NO_NAME;
  int locallyInitiated = 0, open = 0;
  OM_uint32 major =
      gss_inquire_context(&minor, ctx->handle, &src, &targ, &lifetime, nullptr, &flags, &locallyInitiated, &open);
  GssFailure f;
  if (GSS_ERROR(major)) {
    f.Set("gss_inquire_context", major, minor);
    throw f.ToError(env);
  }
  std::string s = NameToString(src, nullptr);
  std::string t = NameToString(targ, nullptr);
  ReleaseName(&src);
  ReleaseName(&targ);
  Napi::Object o = Napi::Object::New(env);
  o.Set("source", Napi::String::New(env, s));
  o.Set("target", Napi::String::New(env, t));
  o.Set("lifetime", Napi::Number::New(env, Lifetime(lifetime)));
  o.Set("flags", Napi::Number::New(env, static_cast<double>(flags)));
  o.Set("open", Napi::Boolean::New(env, open != 0));
  o.Set("initiator", Napi::Boolean::New(env, locallyInitiated != 0));
  return o;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto* data = new AddonData();
  Napi::Function ctor = SecurityContext::Init(env);
  data->contextCtor = Napi::Persistent(ctor);
  env.SetInstanceData<AddonData>(data);

  exports.Set("SecurityContext", ctor);
  exports.Set("credentials", Napi::Function::New(env, Credentials, "credentials"));
  exports.Set("initSecContext", Napi::Function::New(env, InitSecContext, "initSecContext"));
  exports.Set("acceptSecContext", Napi::Function::New(env, AcceptSecContext, "acceptSecContext"));
  exports.Set("getMic", Napi::Function::New(env, GetMic, "getMic"));
  exports.Set("verifyMic", Napi::Function::New(env, VerifyMic, "verifyMic"));
  exports.Set("inquireContext", Napi::Function::New(env, InquireContext, "inquireContext"));

  Napi::Object flags = Napi::Object::New(env);
  flags.Set("DELEG", Napi::Number::New(env, GSS_C_DELEG_FLAG));
  flags.Set("MUTUAL", Napi::Number::New(env, GSS_C_MUTUAL_FLAG));
  flags.Set("REPLAY", Napi::Number::New(env, GSS_C_REPLAY_FLAG));
  flags.Set("SEQUENCE", Napi::Number::New(env, GSS_C_SEQUENCE_FLAG));
  flags.Set("CONF", Napi::Number::New(env, GSS_C_CONF_FLAG));
  flags.Set("INTEG", Napi::Number::New(env, GSS_C_INTEG_FLAG));
  flags.Set("ANON", Napi::Number::New(env, GSS_C_ANON_FLAG));
  flags.Set("PROT_READY", Napi::Number::New(env, GSS_C_PROT_READY_FLAG));
  flags.Set("TRANS", Napi::Number::New(env, GSS_C_TRANS_FLAG));
  exports.Set("flags", flags);

  Napi::Object st = Napi::Object::New(env);
  st.Set("BAD_NAME", Napi::Number::New(env, GSS_S_BAD_NAME));
  st.Set("BAD_SIG", Napi::Number::New(env, GSS_S_BAD_SIG));
  st.Set("NO_CRED", Napi::Number::New(env, GSS_S_NO_CRED));
  st.Set("DEFECTIVE_TOKEN", Napi::Number::New(env, GSS_S_DEFECTIVE_TOKEN));
  st.Set("CREDENTIALS_EXPIRED", Napi::Number::New(env, GSS_S_CREDENTIALS_EXPIRED));
  st.Set("CONTEXT_EXPIRED", Napi::Number::New(env, GSS_S_CONTEXT_EXPIRED));
  st.Set("FAILURE", Napi::Number::New(env, GSS_S_FAILURE));
  st.Set("DUPLICATE_TOKEN", Napi::Number::New(env, GSS_S_DUPLICATE_TOKEN));
  st.Set("OLD_TOKEN", Napi::Number::New(env, GSS_S_OLD_TOKEN));
  st.Set("UNSEQ_TOKEN", Napi::Number::New(env, GSS_S_UNSEQ_TOKEN));
  st.Set("GAP_TOKEN", Napi::Number::New(env, GSS_S_GAP_TOKEN));
  exports.Set("status", st);
  return exports;
}

}  // namespace

NODE_API_MODULE(acsys_gssapi, Init)
