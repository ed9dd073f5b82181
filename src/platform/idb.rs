//! IndexedDB as a small key-value store of text values: the audits, one record per audit,
//! written whole after every scan, and the lists' rollback floors and the copies of lists
//! localStorage had no room for (`STATE`). IndexedDB rather than localStorage: it is not wiped under
//! storage pressure as readily, holds far more, and a write is durable once its transaction
//! completes, which is what "survives a killed tab" needs.

use js_sys::{Array, Function, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStore, IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode};

const DB_NAME: &str = "labelcheck";
const DB_VERSION: u32 = 2;
pub const AUDITS: &str = "audits";
pub const STATE: &str = "state";

/// A failure, in words for the user ("could not save: …").
pub type IdbResult<T> = Result<T, String>;

fn words(e: JsValue) -> String {
    e.dyn_ref::<web_sys::DomException>()
        .map(|d| format!("{}: {}", d.name(), d.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the browser's storage refused".into())
}

/// Resolves when `req` succeeds, with its result; rejects with its error.
async fn finished(req: &IdbRequest) -> IdbResult<JsValue> {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        req.set_onsuccess(Some(&resolve));
        req.set_onerror(Some(&reject));
    });
    JsFuture::from(promise).await.map_err(|_| {
        req.error()
            .ok()
            .flatten()
            .map(|e| format!("{}: {}", e.name(), e.message()))
            .unwrap_or_else(|| "the browser's storage refused".into())
    })?;
    req.result().map_err(words)
}

/// Resolves once the transaction's writes are committed.
async fn committed(tx: &IdbTransaction) -> IdbResult<()> {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        tx.set_oncomplete(Some(&resolve));
        tx.set_onerror(Some(&reject));
        tx.set_onabort(Some(&reject));
    });
    JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|_| "the browser's storage did not keep the change".into())
}

async fn open() -> IdbResult<IdbDatabase> {
    let factory = web_sys::window()
        .ok_or("no window")?
        .indexed_db()
        .map_err(words)?
        .ok_or("this browser keeps no local database (private mode?)")?;
    let req: IdbOpenDbRequest = factory.open_with_u32(DB_NAME, DB_VERSION).map_err(words)?;
    let upgrade = wasm_bindgen::closure::Closure::<dyn FnMut(JsValue)>::new({
        let req = req.clone();
        move |_| {
            if let Ok(db) = req.result().and_then(|r| r.dyn_into::<IdbDatabase>()) {
                for name in [AUDITS, STATE] {
                    if !db.object_store_names().contains(name) {
                        let _ = db.create_object_store(name);
                    }
                }
            }
        }
    });
    req.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let db = finished(&req).await?;
    req.set_onupgradeneeded(None);
    drop(upgrade);
    db.dyn_into::<IdbDatabase>().map_err(words)
}

fn store(db: &IdbDatabase, name: &str, mode: IdbTransactionMode) -> IdbResult<(IdbTransaction, IdbObjectStore)> {
    let tx = db.transaction_with_str_and_mode(name, mode).map_err(words)?;
    let store = tx.object_store(name).map_err(words)?;
    Ok((tx, store))
}

pub async fn put(name: &str, key: &str, value: &str) -> IdbResult<()> {
    let db = open().await?;
    let (tx, store) = store(&db, name, IdbTransactionMode::Readwrite)?;
    store
        .put_with_key(&JsValue::from_str(value), &JsValue::from_str(key))
        .map_err(words)?;
    let done = committed(&tx).await;
    db.close();
    done
}

pub async fn delete(name: &str, key: &str) -> IdbResult<()> {
    let db = open().await?;
    let (tx, store) = store(&db, name, IdbTransactionMode::Readwrite)?;
    store.delete(&JsValue::from_str(key)).map_err(words)?;
    let done = committed(&tx).await;
    db.close();
    done
}

/// The value under `key`, if any (and text).
pub async fn get(name: &str, key: &str) -> IdbResult<Option<String>> {
    let db = open().await?;
    let (_tx, store) = store(&db, name, IdbTransactionMode::Readonly)?;
    let req = store.get(&JsValue::from_str(key)).map_err(words)?;
    let value = finished(&req).await?;
    db.close();
    Ok(value.as_string())
}

/// Every value in the store; values that are not text are skipped.
pub async fn all(name: &str) -> IdbResult<Vec<String>> {
    let db = open().await?;
    let (_tx, store) = store(&db, name, IdbTransactionMode::Readonly)?;
    let req = store.get_all().map_err(words)?;
    let values = finished(&req).await?;
    db.close();
    Ok(Array::from(&values).iter().filter_map(|v| v.as_string()).collect())
}
