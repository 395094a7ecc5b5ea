#pragma once
// The session of the workstation as QML sees it: the open database, who is working, and the errors to show.
#include <QtQml/qqmlregistration.h>
#include <QObject>
#include <QString>
#include <QVariantList>
#include <memory>
#include <optional>

#include "store/audit_log.h"
#include "store/database.h"

class QQmlEngine;
class QJSEngine;

namespace consilium::app {

class Workstation : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(QString databasePath READ databasePath CONSTANT)
    Q_PROPERTY(QString userName READ userName NOTIFY userChanged)
    Q_PROPERTY(QString userRole READ userRole NOTIFY userChanged)
    Q_PROPERTY(QString userRoleText READ userRoleText NOTIFY userChanged)
    Q_PROPERTY(bool signedIn READ signedIn NOTIFY userChanged)
    Q_PROPERTY(QVariantList knownReviewers READ knownReviewers NOTIFY userChanged)
    Q_PROPERTY(int turnaroundBusinessDays READ turnaroundBusinessDays CONSTANT)
    Q_PROPERTY(QString initialCase READ initialCase CONSTANT)

public:
    explicit Workstation(store::Database database, QObject* parent = nullptr);
    ~Workstation() override;

    // The one instance, created by main() before the QML engine loads; QML reaches it as a singleton.
    static Workstation* instance();
    static Workstation* create(QQmlEngine*, QJSEngine*);

    store::Database& database() { return database_; }
    const store::Actor& actor() const { return actor_; }

    QString databasePath() const;
    QString userName() const;
    QString userRole() const;
    QString userRoleText() const;
    bool signedIn() const { return signedIn_; }
    QVariantList knownReviewers();
    int turnaroundBusinessDays();
    QString initialCase() const { return initialCase_; }
    void setInitialCase(const QString& reference) { initialCase_ = reference; }

    // Registers (or finds) the reviewer and makes them the acting user. Returns an error text, empty on success.
    Q_INVOKABLE QString signIn(const QString& name, const QString& role);
    // Saves the window's content as PNG (used by the GUI smoke test and for the user guide's screenshots).
    Q_INVOKABLE bool saveScreenshot(QObject* window, const QString& file);

signals:
    void userChanged();

private:
    store::Database database_;
    store::Actor actor_;
    bool signedIn_ = false;
    QString initialCase_;
};

}  // namespace consilium::app
